// A database helper's program that is missing (BERTH_*_BIN pointed at nothing) is the user's clear
// answer, through the API in process: a backup is a 409 naming the program and the variable, no
// backup is kept, and the database keeps running with its data; without redis-server, creating a
// REDIS database is a 400 saying the same.
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/engine/spawn.js';
import { expectError } from '../support/expect-error.js';
import { startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';
import { runningDatabase } from './running-database.js';

describe('database helpers whose program is missing', () => {
  let t: TestBerth;
  const ws = (p: string) => `/api/v1/workspaces/${t.workspaceId}${p}`;
  const volume = (id: string, ...rest: string[]) => path.join(t.dataDir, 'volumes', id, 'data', ...rest);
  const create = (engine: string, slug: string) => runningDatabase(t, engine, slug);
  const backups = async (id: string) => (await t.request<unknown[]>('GET', ws(`/databases/${id}/backups`))).body;
  const status = async (id: string) => (await t.request('GET', ws(`/databases/${id}`))).body.status;

  beforeAll(async () => {
    t = await startTestBerth('sqlite', {
      via: 'inject',
      env: { BERTH_DB_BACKUP_CRON: 'off', BERTH_SQLITE3_BIN: '/nonexistent/sqlite3', BERTH_PG_DUMP_BIN: '/nonexistent/pg_dump', BERTH_REDIS_SERVER_BIN: '/nonexistent/redis-server' },
    });
  });
  afterAll(async () => t?.close());

  it('answers a SQLITE backup with a 409 naming sqlite3 and BERTH_SQLITE3_BIN; the database keeps its data', async () => {
    const db = await create('SQLITE', 'lite');
    // The test's own sqlite3, not Berth's.
    const sql = (statement: string) => runCommand(['/usr/bin/sqlite3', volume(db.id, 'db.sqlite'), statement], { env: { PATH: '/usr/bin' }, timeoutMs: 10_000 });
    await sql("CREATE TABLE t (v text); INSERT INTO t VALUES ('kept');");
    expectError(
      await t.request('POST', ws(`/databases/${db.id}/backups`)),
      409,
      'sqlite3 is not an executable file at /nonexistent/sqlite3 (BERTH_SQLITE3_BIN): point BERTH_SQLITE3_BIN at the sqlite3 program',
    );
    expect(await backups(db.id)).toEqual([]);
    expect(await status(db.id)).toBe('RUNNING');
    expect((await sql('SELECT v FROM t;')).stdout.trim()).toBe('kept');
  });

  it.runIf(process.getuid?.() === 0)('answers a POSTGRES backup with a 409 naming pg_dump and BERTH_PG_DUMP_BIN; the server keeps serving', async () => {
    const db = await create('POSTGRES', 'pg');
    const connection = (await t.request('GET', ws(`/databases/${db.id}/connection`))).body;
    const client = new pg.Client({ host: volume(db.id, 'run'), user: connection.username, password: connection.password, database: connection.database });
    await client.connect();
    try {
      await client.query("CREATE TABLE t (v text); INSERT INTO t VALUES ('kept')");
      expectError(
        await t.request('POST', ws(`/databases/${db.id}/backups`)),
        409,
        'pg_dump is not an executable file at /nonexistent/pg_dump (BERTH_PG_DUMP_BIN): point BERTH_PG_DUMP_BIN at the pg_dump program',
      );
      expect(await backups(db.id)).toEqual([]);
      expect(await status(db.id)).toBe('RUNNING');
      await client.query("INSERT INTO t VALUES ('after')");
      expect((await t.request('POST', ws(`/databases/${db.id}/query`), { body: { sql: 'SELECT v FROM t ORDER BY v' } })).body.rows).toEqual([{ v: 'after' }, { v: 'kept' }]);
    } finally {
      await client.end();
    }
  });

  it('refuses a REDIS database with a 400 naming redis-server and BERTH_REDIS_SERVER_BIN, provisioning nothing', async () => {
    const count = async () => (await t.request<unknown[]>('GET', ws('/databases'))).body.length;
    const before = await count();
    expectError(
      await t.request('POST', ws('/databases'), { body: { name: 'cache', slug: 'cache', engine: 'REDIS' } }),
      400,
      'engine REDIS is not available on this machine: redis-server is not an executable file at /nonexistent/redis-server (BERTH_REDIS_SERVER_BIN): point BERTH_REDIS_SERVER_BIN at the redis-server program',
    );
    expect(await count()).toBe(before);
  });
});
