// Where the database helpers' programs are found, from the environment as Berth reads it: the
// operator's BERTH_*_BIN, else PATH, else the usual directories; a missing one is a conflict that
// names the program and the variable to set.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { findDatabaseTool, requireDatabaseTool } from '../../src/engine/databases/database-tools.js';

describe('database programs', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-db-tools-'));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
  const program = (dir: string, name: string, mode = 0o755) => {
    fs.mkdirSync(path.join(root, dir), { recursive: true });
    const file = path.join(root, dir, name);
    fs.writeFileSync(file, '#!/bin/sh\nexit 0\n', { mode });
    fs.chmodSync(file, mode);
    return file;
  };
  const settings = (env: Record<string, string>) => loadConfig(env).databases.programs;

  it('takes the first executable on PATH, before the usual directories, skipping files it may not run', () => {
    program('first', 'sqlite3', 0o644);
    const second = program('second', 'sqlite3');
    const tools = settings({ PATH: `relative/bin:${path.join(root, 'first')}:${path.join(root, 'second')}` });
    expect(tools.searchDirs.slice(0, 2)).toEqual([path.join(root, 'first'), path.join(root, 'second')]);
    expect(tools.searchDirs).toContain('/usr/bin');
    expect(findDatabaseTool('sqlite3', tools)).toEqual({ path: second, missing: null });
  });

  it("searches a PostgreSQL version's own bin directory before PATH", () => {
    const onPath = program('path', 'pg_dump');
    const own = program('pg16/bin', 'pg_dump');
    const tools = settings({ PATH: path.join(root, 'path') });
    expect(findDatabaseTool('pg_dump', tools).path).toBe(onPath);
    expect(findDatabaseTool('pg_dump', tools, [path.join(root, 'pg16/bin')]).path).toBe(own);
  });

  it('honours BERTH_*_BIN over PATH and over the version directory', () => {
    const mine = program('mine', 'redis-7');
    const dump = program('mine', 'my-pg_dump');
    program('path', 'redis-server');
    const tools = settings({ PATH: path.join(root, 'path'), BERTH_REDIS_SERVER_BIN: mine, BERTH_PG_DUMP_BIN: dump });
    expect(findDatabaseTool('redis-server', tools).path).toBe(mine);
    expect(findDatabaseTool('pg_dump', tools, [path.join(root, 'pg16/bin')]).path).toBe(dump);
  });

  it('says which program is missing and which variable to set, as a conflict', () => {
    const nowhere = path.join(root, 'nowhere', 'sqlite3');
    const tools = settings({ BERTH_SQLITE3_BIN: nowhere });
    expect(findDatabaseTool('sqlite3', tools)).toEqual({ path: null, missing: `sqlite3 is not an executable file at ${nowhere} (BERTH_SQLITE3_BIN): point BERTH_SQLITE3_BIN at the sqlite3 program` });
    expect(() => requireDatabaseTool('sqlite3', tools)).toThrow(expect.objectContaining({ name: 'DomainError', code: 'conflict', message: expect.stringContaining('BERTH_SQLITE3_BIN') }));
    // Not set, and nowhere searched: found nowhere (the machine's own directories emptied out).
    const bare = { ...settings({}), searchDirs: [path.join(root, 'empty')] };
    expect(findDatabaseTool('pg_restore', bare)).toEqual({ path: null, missing: 'pg_restore was not found on PATH or in the usual directories: install it, or set BERTH_PG_RESTORE_BIN to its path' });
  });

  it('refuses a relative BERTH_*_BIN at start, naming the variable', () => {
    expect(() => loadConfig({ BERTH_PG_RESTORE_BIN: 'bin/pg_restore' })).toThrow(ConfigError);
    expect(() => loadConfig({ BERTH_PG_RESTORE_BIN: 'bin/pg_restore' })).toThrow(/BERTH_PG_RESTORE_BIN/);
  });
});
