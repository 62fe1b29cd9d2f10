import { describe, expect, it } from 'vitest';
import type { RunCommandResult } from '../spawn.js';
import { maskPaths, maskSecrets, stderrTail, toolFailed } from './tool-failure.js';

const ran = (over: Partial<RunCommandResult>): RunCommandResult => ({ exitCode: 1, signal: null, stdout: '', stderr: '', truncated: false, timedOut: false, aborted: false, durationMs: 1, ...over });

describe('a database program that failed', () => {
  it('masks the secrets it was given, URL passwords and password= values', () => {
    expect(maskSecrets('auth s3cr3t failed', ['s3cr3t'])).toBe('auth *** failed');
    expect(maskSecrets('to postgresql://admin:hunter2@localhost:5432/app failed')).toBe('to postgresql://admin:***@localhost:5432/app failed');
    expect(maskSecrets('host=/run password=hunter2 user=x (PGPASSWORD=abc)')).toBe('host=/run password=*** user=x (PGPASSWORD=***)');
  });

  it('quotes its last two non-empty stderr lines, trimmed, and at most 600 characters of them', () => {
    expect(stderrTail('first\n  second  \n\n third \n\n')).toBe('second third');
    const long = stderrTail(`x\n${'a'.repeat(1000)}`);
    expect(long).toHaveLength(601);
    expect(long.startsWith('…a')).toBe(true);
  });

  it('says how it ended when it said nothing', () => {
    expect(toolFailed({ action: 'The backup failed', tool: 'pg_dump', result: ran({ exitCode: 2 }), dataDirs: [] })).toMatchObject({ code: 'conflict', message: 'The backup failed: pg_dump exited with status 2' });
    expect(toolFailed({ action: 'The backup failed', tool: 'pg_dump', result: ran({ exitCode: null, signal: 'SIGKILL', timedOut: true }), dataDirs: [] }).message).toBe('The backup failed: pg_dump did not finish in time and was stopped');
    expect(toolFailed({ action: 'A', tool: 'sqlite3', result: ran({ exitCode: null, signal: 'SIGSEGV', stderr: 'boom\n' }), dataDirs: [] }).message).toBe('A: sqlite3 was killed by SIGSEGV: boom');
  });

  it("shows Berth's data dir, under any of its names, as <data>, and leaves other paths alone", () => {
    const dirs = ['/var/lib/berth/', '/srv/disk1/berth'];
    expect(maskPaths('could not open output file "/var/lib/berth/backups/db_1/.partial-bkp_1/dump.pgc": Permission denied', dirs)).toBe('could not open output file "<data>/backups/db_1/.partial-bkp_1/dump.pgc": Permission denied');
    expect(maskPaths('socket "/srv/disk1/berth/volumes/db_1/data/run/.s.PGSQL.5432" failed; in /var/lib/berth', dirs)).toBe('socket "<data>/volumes/db_1/data/run/.s.PGSQL.5432" failed; in <data>');
    expect(maskPaths('/var/lib/berth2/x and /usr/lib/postgresql/15/bin/pg_dump', dirs)).toBe('/var/lib/berth2/x and /usr/lib/postgresql/15/bin/pg_dump');
    const failed = toolFailed({ action: 'A', tool: 'sqlite3', result: ran({ stderr: 'Error: unable to open database "/var/lib/berth/backups/db_1/bkp_1/db.sqlite": unable to open database file\n' }), dataDirs: dirs });
    expect(failed.message).toBe('A: sqlite3 exited with status 1: Error: unable to open database "<data>/backups/db_1/bkp_1/db.sqlite": unable to open database file');
  });
});
