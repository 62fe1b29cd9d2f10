import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { handOverWorkDir } from './sandbox-prep.js';

const asRoot = process.getuid?.() === 0;
const uid = 2_345_678;

describe.runIf(asRoot)('handOverWorkDir', () => {
  const made: string[] = [];
  const tmp = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-handover-'));
    made.push(dir);
    return dir;
  };
  afterEach(() => made.splice(0).forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  it('gives the app its dirs, own files and links, but never an inode shared with a file elsewhere', async () => {
    const outside = tmp();
    const secret = path.join(outside, 'artifact-file');
    fs.writeFileSync(secret, 'frozen');
    const tree = tmp();
    fs.mkdirSync(path.join(tree, 'node_modules/pkg'), { recursive: true });
    fs.writeFileSync(path.join(tree, 'node_modules/pkg/own.js'), 'mine');
    fs.linkSync(secret, path.join(tree, 'node_modules/pkg/shared.js'));
    fs.symlinkSync(secret, path.join(tree, 'escape'));

    await handOverWorkDir(tree, uid, uid);

    const owner = (p: string) => fs.lstatSync(p).uid;
    expect([tree, path.join(tree, 'node_modules'), path.join(tree, 'node_modules/pkg')].map(owner)).toEqual([uid, uid, uid]);
    expect(owner(path.join(tree, 'node_modules/pkg/own.js'))).toBe(uid);
    expect(owner(path.join(tree, 'escape'))).toBe(uid); // the link itself
    expect(owner(secret)).toBe(0); // neither through the hard link nor through the symlink
    expect(fs.statSync(tree).mode & 0o777).toBe(0o700);
  });
});
