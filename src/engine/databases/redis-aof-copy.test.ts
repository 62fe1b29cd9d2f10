import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { aofFilesOf, copyAppendOnlyDir } from './redis-aof-copy.js';

// As redis-server 7.0 leaves it right after a rewrite: the old base and increment are history.
const manifest = ['file appendonly.aof.1.base.rdb seq 1 type h', 'file appendonly.aof.1.incr.aof seq 1 type h', 'file appendonly.aof.2.base.rdb seq 2 type b', 'file appendonly.aof.2.incr.aof seq 2 type i', ''].join('\n');

describe("a copy of redis-server's append-only directory", () => {
  const root = mkdtempSync(join(tmpdir(), 'berth-aof-copy-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('holds the manifest and the files it loads, not the history a rewrite left', async () => {
    expect(aofFilesOf(manifest)).toEqual(['appendonly.aof.2.base.rdb', 'appendonly.aof.2.incr.aof']);
    const from = join(root, 'live');
    mkdirSync(from);
    for (const file of ['appendonly.aof.1.base.rdb', 'appendonly.aof.1.incr.aof', 'appendonly.aof.2.base.rdb', 'appendonly.aof.2.incr.aof']) writeFileSync(join(from, file), file);
    writeFileSync(join(from, 'appendonly.aof.manifest'), manifest);
    await copyAppendOnlyDir(from, join(root, 'copy'));
    expect(readdirSync(join(root, 'copy')).sort()).toEqual(['appendonly.aof.2.base.rdb', 'appendonly.aof.2.incr.aof', 'appendonly.aof.manifest']);
    expect(readFileSync(join(root, 'copy', 'appendonly.aof.manifest'), 'utf8')).toBe(manifest);
  });

  it('fails rather than keep a copy whose manifest names a file that is not there', async () => {
    const from = join(root, 'broken');
    mkdirSync(from);
    writeFileSync(join(from, 'appendonly.aof.manifest'), manifest);
    await expect(copyAppendOnlyDir(from, join(root, 'copy2'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
