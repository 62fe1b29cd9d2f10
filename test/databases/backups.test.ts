// Backups of every engine through the API, in process with real servers: take, list (newest
// first, BERTH_DB_BACKUP_KEEP of them), restore puts the data back as it was; and the schedule
// of BERTH_DB_BACKUP_CRON runs its round at each tick.
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackupSchedule } from '../../src/engine/databases/backup-schedule.js';
import { aofFilesOf } from '../../src/engine/databases/redis-aof-copy.js';
import { redisCommand } from '../../src/engine/databases/redis-server.js';
import { runCommand } from '../../src/engine/spawn.js';
import { expectError } from '../support/expect-error.js';
import { startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';
import { until } from '../e2e/support/edge-client.js';
import { runningDatabase } from './running-database.js';

describe.runIf(process.getuid?.() === 0)('database backups', () => {
  let t: TestBerth;
  const ws = (p: string) => `/api/v1/workspaces/${t.workspaceId}${p}`;
  const volume = (id: string, ...rest: string[]) => path.join(t.dataDir, 'volumes', id, 'data', ...rest);
  const create = (engine: string, slug: string) => runningDatabase(t, engine, slug);
  const backup = async (id: string) => {
    const taken = await t.request('POST', ws(`/databases/${id}/backups`));
    expect(taken.status, JSON.stringify(taken.body)).toBe(201);
    return taken.body as { id: string; sizeBytes: number };
  };
  const restore = async (id: string, backupId: string) => expect((await t.request('POST', ws(`/databases/${id}/backups/${backupId}/restore`))).status).toBe(200);

  beforeAll(async () => {
    t = await startTestBerth('sqlite', { via: 'inject', env: { BERTH_DB_BACKUP_KEEP: '2', BERTH_DB_BACKUP_CRON: 'off' } });
  });
  afterAll(async () => t?.close());

  it('backs up and restores a POSTGRES database', async () => {
    const db = await create('POSTGRES', 'pg-backed');
    const connection = (await t.request('GET', ws(`/databases/${db.id}/connection`))).body;
    const client = new pg.Client({ host: volume(db.id, 'run'), user: connection.username, password: connection.password, database: connection.database });
    await client.connect();
    await client.query("CREATE TABLE t (v text); INSERT INTO t VALUES ('kept')");
    const taken = await backup(db.id);
    expect(taken.sizeBytes).toBeGreaterThan(0);
    await client.query("DELETE FROM t; INSERT INTO t VALUES ('after the backup')");
    await client.end();
    await restore(db.id, taken.id);
    expect((await t.request('POST', ws(`/databases/${db.id}/query`), { body: { sql: 'SELECT v FROM t' } })).body.rows).toEqual([{ v: 'kept' }]);
  });

  it('backs up and restores an SQLITE database, keeping the newest BERTH_DB_BACKUP_KEEP', async () => {
    const db = await create('SQLITE', 'lite-backed');
    const sql = (statement: string) => runCommand(['/usr/bin/sqlite3', volume(db.id, 'db.sqlite'), statement], { env: { PATH: '/usr/bin' }, timeoutMs: 10_000 });
    await sql("CREATE TABLE t (v text); INSERT INTO t VALUES ('kept');");
    const first = await backup(db.id);
    await sql("UPDATE t SET v = 'changed';");
    const second = await backup(db.id);
    const third = await backup(db.id);
    const listed = (await t.request<{ id: string }[]>('GET', ws(`/databases/${db.id}/backups`))).body.map((b) => b.id);
    expect(listed).toEqual([third.id, second.id]);
    expectError(await t.request('POST', ws(`/databases/${db.id}/backups/${first.id}/restore`)), 404, 'Backup not found');
    await sql("UPDATE t SET v = 'lost';");
    await restore(db.id, second.id);
    expect((await sql('SELECT v FROM t;')).stdout.trim()).toBe('changed');
  });

  it('backs up and restores a REDIS database', async () => {
    const db = await create('REDIS', 'redis-backed');
    const { password } = (await t.request('GET', ws(`/databases/${db.id}/connection`))).body;
    const socket = volume(db.id, 'run', 'redis.sock');
    await redisCommand(socket, password, ['SET', 'k', 'kept']);
    // After a rewrite the old files are history, deleted by redis-server in the background.
    const live = volume(db.id, 'redis', 'appendonlydir');
    const manifest = () => fs.readFileSync(path.join(live, 'appendonly.aof.manifest'), 'utf8');
    // The manifest changes twice: a new increment when the rewrite starts, a new base when it ends.
    const baseOf = (text: string) => /^file (\S+) seq \d+ type b$/m.exec(text)?.[1];
    const oldBase = baseOf(manifest());
    await redisCommand(socket, password, ['BGREWRITEAOF']);
    await until(async () => baseOf(manifest()), (base) => base !== undefined && base !== oldBase, 10_000, 20);
    const taken = await backup(db.id);
    const copiedDir = path.join(t.dataDir, 'backups', db.id, taken.id, 'appendonlydir');
    const copied = fs.readdirSync(copiedDir).sort();
    const copiedManifest = fs.readFileSync(path.join(copiedDir, 'appendonly.aof.manifest'), 'utf8');
    expect(copied).toEqual([...aofFilesOf(copiedManifest), 'appendonly.aof.manifest'].sort());
    expect(copied).not.toContain(oldBase);
    await redisCommand(socket, password, ['SET', 'k', 'lost']);
    await restore(db.id, taken.id);
    expect(await redisCommand(socket, password, ['STRLEN', 'k'])).toBe(':4');

    // A second click on "restore" while the first runs, and a backup meanwhile: each waits its turn.
    await redisCommand(socket, password, ['SET', 'k', 'lost again']);
    const answers = await Promise.all([
      t.request('POST', ws(`/databases/${db.id}/backups/${taken.id}/restore`)),
      t.request('POST', ws(`/databases/${db.id}/backups/${taken.id}/restore`)),
      t.request('POST', ws(`/databases/${db.id}/backups`)),
    ]);
    expect(answers.map((a) => a.status), JSON.stringify(answers.map((a) => a.body))).toEqual([200, 200, 201]);
    expect(await redisCommand(socket, password, ['STRLEN', 'k'])).toBe(':4');
    expect((await t.request('GET', ws(`/databases/${db.id}`))).body.status).toBe('RUNNING');
    const listed = (await t.request<{ id: string }[]>('GET', ws(`/databases/${db.id}/backups`))).body.map((b) => b.id);
    expect(listed).toEqual([(answers[2]?.body as { id: string }).id, taken.id]);
  });

  it('restores the backup of an SQLITE database no app had written yet: the database is empty again', async () => {
    const db = await create('SQLITE', 'lite-empty');
    const file = volume(db.id, 'db.sqlite');
    const empty = await backup(db.id);
    expect(empty.sizeBytes).toBe(0);
    await runCommand(['/usr/bin/sqlite3', file, "CREATE TABLE t (v text); INSERT INTO t VALUES ('written later');"], { env: { PATH: '/usr/bin' }, timeoutMs: 10_000 });
    await restore(db.id, empty.id);
    expect((await runCommand(['/usr/bin/sqlite3', file, '.tables'], { env: { PATH: '/usr/bin' }, timeoutMs: 10_000 })).stdout.trim()).toBe('');
  });

  it('runs the backup round at each tick of the schedule', async () => {
    const rounds: number[] = [];
    const schedule = startBackupSchedule({
      cron: '* * * * * *',
      now: () => new Date(),
      run: async () => {
        rounds.push(Date.now());
        return { taken: 1, failed: [] };
      },
      logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
      checkEveryMs: 50,
    });
    await until(async () => rounds.length, (n) => n >= 2, 5_000, 50);
    await schedule.stop();
    expect(rounds.length).toBeGreaterThanOrEqual(2);
  });
});
