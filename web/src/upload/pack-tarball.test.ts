// The browser's packing, run in Node (which has the same Blob, streams and CompressionStream):
// the tarball extracts with tar(1)'s reader to the same files, long paths included.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { x } from 'tar';
import { describe, expect, it } from 'vitest';
import { packTarball } from './pack-tarball';
import { ignoreFilter } from './project-files';

describe('packTarball', () => {
  it('packs files (a path over 100 characters too) into a .tar.gz that extracts to the same bytes', async () => {
    const long = `${'deep/'.repeat(30)}file.txt`;
    const files = [
      { path: 'server.js', file: new Blob(['console.log(1)\n']) },
      { path: long, file: new Blob(['long path\n']) },
      { path: 'bin/data.bin', file: new Blob([new Uint8Array([0, 1, 2, 255])]) },
    ];
    const progress: number[] = [];
    const tarball = await packTarball(files, (done) => progress.push(done));
    expect(progress).toEqual([1, 2, 3]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-pack-'));
    try {
      fs.writeFileSync(path.join(dir, 'a.tar.gz'), Buffer.from(await tarball.arrayBuffer()));
      fs.mkdirSync(path.join(dir, 'out'));
      await x({ file: path.join(dir, 'a.tar.gz'), cwd: path.join(dir, 'out') });
      expect(fs.readFileSync(path.join(dir, 'out/server.js'), 'utf8')).toBe('console.log(1)\n');
      expect(fs.readFileSync(path.join(dir, 'out', long), 'utf8')).toBe('long path\n');
      expect([...fs.readFileSync(path.join(dir, 'out/bin/data.bin'))]).toEqual([0, 1, 2, 255]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('ignoreFilter (the folder picker and drop zone)', () => {
  it('applies .gitignore and .berthignore rules and always leaves .git out', () => {
    const ignored = ignoreFilter(['node_modules/\n*.log\n!keep.log\n', 'secrets.txt\n']);
    expect(ignored('node_modules', true)).toBe(true);
    expect(ignored('node_modules/x/index.js', false)).toBe(true);
    expect(ignored('debug.log', false)).toBe(true);
    expect(ignored('keep.log', false)).toBe(false);
    expect(ignored('secrets.txt', false)).toBe(true);
    expect(ignored('.git', true)).toBe(true);
    expect(ignored('src/app.js', false)).toBe(false);
  });
});
