import { describe, expect, it } from 'vitest';
import { postgresLogReason } from './postgres-log-reason.js';

const at = (pid: number, level: string, message: string) => `2026-12-05 02:41:57.855 UTC [${pid}] ${level}:  ${message}`;

describe("postgres's reason for exiting before it served", () => {
  it('is its FATAL line with its DETAIL and HINT, not the lines after them', () => {
    const log = [
      at(2, 'FATAL', 'database files are incompatible with server'),
      at(2, 'DETAIL', 'The data directory was initialized by PostgreSQL version 14, which is not compatible with this version 15.10.'),
      at(2, 'HINT', 'It looks like you need to initdb.'),
      at(2, 'LOG', 'database system is shut down'),
    ].join('\n');
    expect(postgresLogReason(log)).toEqual({
      reason: 'FATAL: database files are incompatible with server DETAIL: The data directory was initialized by PostgreSQL version 14, which is not compatible with this version 15.10. HINT: It looks like you need to initdb.',
      passing: false,
    });
  });

  it('names the setting errors a configuration FATAL follows', () => {
    const log = [at(2, 'LOG', 'syntax error in file "/mnt/pgdata/postgresql.conf" line 818, near token "not"'), at(2, 'FATAL', 'configuration file "/mnt/pgdata/postgresql.conf" contains errors')].join('\n');
    expect(postgresLogReason(log).reason).toBe('syntax error in file "/mnt/pgdata/postgresql.conf" line 818, near token "not" FATAL: configuration file "/mnt/pgdata/postgresql.conf" contains errors');
  });

  it("is a PANIC of its startup, not what clients were told meanwhile", () => {
    const log = [
      at(2, 'LOG', 'starting PostgreSQL 15.10'),
      at(9, 'PANIC', 'could not locate a valid checkpoint record'),
      at(12, 'FATAL', 'the database system is starting up'),
      at(2, 'LOG', 'startup process (PID 9) was terminated by signal 6: Aborted'),
    ].join('\n');
    expect(postgresLogReason(log)).toEqual({ reason: 'PANIC: could not locate a valid checkpoint record', passing: false });
  });

  it('is what it wrote before its log began', () => {
    const log = 'postgres: could not find the database system\nExpected to find it in the directory "/mnt/pgdata",\nbut could not open file "/mnt/pgdata/global/pg_control": No such file or directory\n';
    expect(postgresLogReason(log).reason).toBe('postgres: could not find the database system Expected to find it in the directory "/mnt/pgdata", but could not open file "/mnt/pgdata/global/pg_control": No such file or directory');
  });

  it('is none when only clients were refused, or the launch failed before postgres ran', () => {
    expect(postgresLogReason(at(12, 'FATAL', 'the database system is starting up')).reason).toBe('');
    expect(postgresLogReason('bwrap: Can\'t mount proc on /newroot/proc: Device or resource busy\n').reason).toBe('');
  });

  it('passes when a restart may not meet it again', () => {
    const log = [at(2, 'FATAL', 'lock file "postmaster.pid" already exists'), at(2, 'HINT', 'Is another postmaster (PID 7) running in data directory "/mnt/pgdata"?')].join('\n');
    expect(postgresLogReason(log).passing).toBe(true);
  });
});
