import { describe, expect, it } from 'vitest';
import type { RunCommandResult } from '../spawn.js';
import { maskSecrets, stderrTail, toolFailed } from './tool-failure.js';

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
    expect(toolFailed({ action: 'The backup failed', tool: 'pg_dump', result: ran({ exitCode: 2 }) })).toMatchObject({ code: 'conflict', message: 'The backup failed: pg_dump exited with status 2' });
    expect(toolFailed({ action: 'The backup failed', tool: 'pg_dump', result: ran({ exitCode: null, signal: 'SIGKILL', timedOut: true }) }).message).toBe('The backup failed: pg_dump did not finish in time and was stopped');
    expect(toolFailed({ action: 'A', tool: 'sqlite3', result: ran({ exitCode: null, signal: 'SIGSEGV', stderr: 'boom\n' }) }).message).toBe('A: sqlite3 was killed by SIGSEGV: boom');
  });
});
