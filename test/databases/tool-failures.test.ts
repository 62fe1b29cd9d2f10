// A database helper's program that runs and fails is the user's clear answer, through the API in
// process with real servers and real programs: a pg_dump that cannot connect (a script of ours,
// set by BERTH_PG_DUMP_BIN, that leaves half a file and complains with the password in its words),
// a backup file truncated or spoilt on disk before its restore, a disk that fills up during a
// backup, a REDIS backup whose append-only file is damaged (redis-server refuses it at once, and
// its log says why). Each is a 409 whose message says what failed, in the program's own words
// where it has some (its last lines, no password, Berth's data dir shown as <data>); no partial
// backup is listed or left on disk, and the database keeps running with its data as it was.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisCommand } from '../../src/engine/databases/redis-server.js';
import { runCommand } from '../../src/engine/spawn.js';
import { expectError } from '../support/expect-error.js';
import { startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';
import { runningDatabase } from './running-database.js';
import { until } from '../e2e/support/edge-client.js';

const realPgDump = '/usr/lib/postgresql/15/bin/pg_dump';

describe.runIf(process.getuid?.() === 0 && fs.existsSync(realPgDump))('database helpers whose program fails', () => {
  let t: TestBerth;
  const programs = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-failing-tools-'));
  const pgDump = path.join(programs, 'pg_dump');
  const ws = (p: string) => `/api/v1/workspaces/${t.workspaceId}${p}`;
  const volume = (id: string, ...rest: string[]) => path.join(t.dataDir, 'volumes', id, 'data', ...rest);
  const backupDir = (id: string, ...rest: string[]) => path.join(t.dataDir, 'backups', id, ...rest);
  const create = (engine: string, slug: string) => runningDatabase(t, engine, slug);
  const backups = async (id: string) => (await t.request<{ id: string }[]>('GET', ws(`/databases/${id}/backups`))).body.map((b) => b.id);
  const backup = async (id: string) => {
    const taken = await t.request('POST', ws(`/databases/${id}/backups`));
    expect(taken.status, JSON.stringify(taken.body)).toBe(201);
    return taken.body as { id: string };
  };
  const restore = (id: string, backupId: string) => t.request('POST', ws(`/databases/${id}/backups/${backupId}/restore`));
  const status = async (id: string) => (await t.request('GET', ws(`/databases/${id}`))).body.status;
  /** What is on disk in the database's backups directory (temporary files included). */
  const onDisk = (id: string) => (fs.existsSync(backupDir(id)) ? fs.readdirSync(backupDir(id)).sort() : []);

  beforeAll(async () => {
    // pg_dump itself, unless told to fail: then what a pg_dump that cannot connect does.
    fs.writeFileSync(
      pgDump,
      [
        '#!/bin/sh',
        'if [ -e "$0.fail" ]; then',
        '  prev=""; for a in "$@"; do if [ "$prev" = "-f" ]; then printf "PGDMP half a dump" > "$a"; fi; prev="$a"; done',
        '  echo "pg_dump: warning: an early line nobody needs" >&2',
        '  echo "pg_dump: error: connection to server at postgresql://berth_admin:$PGPASSWORD@localhost/app failed" >&2',
        '  echo "FATAL:  password authentication failed for user \\"berth_admin\\" (password=$PGPASSWORD)   " >&2',
        '  exit 1',
        'fi',
        `exec ${realPgDump} "$@"`,
        '',
      ].join('\n'),
      { mode: 0o755 },
    );
    t = await startTestBerth('sqlite', { via: 'inject', env: { BERTH_DB_BACKUP_CRON: 'off', BERTH_PG_DUMP_BIN: pgDump } });
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(programs, { recursive: true, force: true });
  });

  describe('POSTGRES', () => {
    let db: { id: string };
    let client: pg.Client;
    const rows = async () => (await t.request('POST', ws(`/databases/${db.id}/query`), { body: { sql: 'SELECT v FROM t ORDER BY v' } })).body.rows;

    beforeAll(async () => {
      db = await create('POSTGRES', 'pg-failing');
      const connection = (await t.request('GET', ws(`/databases/${db.id}/connection`))).body;
      client = new pg.Client({ host: volume(db.id, 'run'), user: connection.username, password: connection.password, database: connection.database });
      await client.connect();
      await client.query("CREATE TABLE t (v text); INSERT INTO t VALUES ('kept')");
    });
    afterAll(async () => client?.end());

    it('answers a pg_dump that fails with a 409 in its own words, without the password, keeping no partial backup', async () => {
      const { admin } = JSON.parse(fs.readFileSync(volume(db.id, 'berth-credentials.json'), 'utf8')) as { admin: { password: string } };
      fs.writeFileSync(`${pgDump}.fail`, '');
      try {
        const body = expectError(
          await t.request('POST', ws(`/databases/${db.id}/backups`)),
          409,
          'The backup failed: pg_dump exited with status 1: pg_dump: error: connection to server at postgresql://berth_admin:***@localhost/app failed FATAL:  password authentication failed for user "berth_admin" (password=***)',
        );
        expect(JSON.stringify(body)).not.toContain(admin.password);
      } finally {
        fs.rmSync(`${pgDump}.fail`);
      }
      expect(await backups(db.id)).toEqual([]);
      expect(onDisk(db.id)).toEqual([]);
      expect(await status(db.id)).toBe('RUNNING');
      await client.query("INSERT INTO t VALUES ('after')");
      expect(await rows()).toEqual([{ v: 'after' }, { v: 'kept' }]);
    });

    it('answers the restore of a truncated or spoilt dump with a 409 in pg_restore\'s words; the data stays as it was', async () => {
      const taken = await backup(db.id);
      expect(onDisk(db.id)).toEqual([taken.id]);
      await client.query("INSERT INTO t VALUES ('since')");
      const before = await rows();
      expect(before).toContainEqual({ v: 'since' });
      const dump = backupDir(db.id, taken.id, 'dump.pgc');
      fs.truncateSync(dump, Math.floor(fs.statSync(dump).size / 2));
      const truncated = expectError(await restore(db.id, taken.id), 409);
      expect(truncated.message).toMatch(/^The restore failed and the database is unchanged: pg_restore exited with status 1: pg_restore: error: .+/);
      expect(await status(db.id)).toBe('RUNNING');
      expect(await rows()).toEqual(before);

      fs.writeFileSync(dump, 'not a dump at all');
      expectError(
        await restore(db.id, taken.id),
        409,
        'The restore failed and the database is unchanged: pg_restore exited with status 1: pg_restore: error: input file does not appear to be a valid archive (too short?)',
      );
      expect(await rows()).toEqual(before);
      await client.query("INSERT INTO t VALUES ('still writable')");
      expect(await status(db.id)).toBe('RUNNING');
    });

    it("quotes pg_restore's words about a file of the backup without Berth's data dir in them", async () => {
      const taken = await backup(db.id);
      fs.rmSync(backupDir(db.id, taken.id, 'dump.pgc'));
      const body = expectError(
        await restore(db.id, taken.id),
        409,
        `The restore failed and the database is unchanged: pg_restore exited with status 1: pg_restore: error: could not open input file "<data>/backups/${db.id}/${taken.id}/dump.pgc": No such file or directory`,
      );
      expect(JSON.stringify(body)).not.toContain(t.dataDir);
      expect(await rows()).toContainEqual({ v: 'still writable' });
    });
  });

  describe('REDIS', () => {
    let db: { id: string };
    let password: string;
    let taken: { id: string };
    const socket = () => volume(db.id, 'run', 'redis.sock');
    const get = (key: string) => redisCommand(socket(), password, ['GET', key]);
    const aofDir = () => backupDir(db.id, taken.id, 'appendonlydir');
    /** The backup's RDB base file (its data, after the rewrite below), as its manifest names it. */
    const baseRdb = () => /^file (\S+) seq \d+ type b$/m.exec(fs.readFileSync(path.join(aofDir(), 'appendonly.aof.manifest'), 'utf8'))?.[1] ?? '';
    let good: Map<string, Buffer>;
    /** Restores the backup, damaged by `spoil`, and returns the answer and how long it took. */
    const restoreSpoilt = async (spoil: (file: string) => void) => {
      for (const [name, bytes] of good) fs.writeFileSync(path.join(aofDir(), name), bytes);
      spoil(path.join(aofDir(), baseRdb()));
      const started = performance.now();
      const answer = await restore(db.id, taken.id);
      return { answer, ms: Math.round(performance.now() - started) };
    };

    beforeAll(async () => {
      db = await create('REDIS', 'redis-failing');
      password = (await t.request('GET', ws(`/databases/${db.id}/connection`))).body.password;
      await redisCommand(socket(), password, ['SET', 'k', 'backed up']);
      // Rewritten, the append-only file's data is an RDB file (its base), as after any rewrite.
      const manifest = volume(db.id, 'redis', 'appendonlydir', 'appendonly.aof.manifest');
      const before = fs.readFileSync(manifest, 'utf8');
      expect(await redisCommand(socket(), password, ['BGREWRITEAOF'])).toMatch(/^\+Background append only file rewriting/);
      await until(async () => fs.readFileSync(manifest, 'utf8'), (now) => now !== before, 10_000, 20);
      taken = await backup(db.id);
      good = new Map(fs.readdirSync(aofDir()).map((f) => [f, fs.readFileSync(path.join(aofDir(), f))]));
      expect(baseRdb()).toMatch(/^appendonly\.aof\.\d+\.base\.rdb$/);
      await redisCommand(socket(), password, ['SET', 'k', 'live']);
    });

    it("answers the restore of a junk RDB file at once, with a 409 in redis-server's words; the live data stays", async () => {
      const { answer, ms } = await restoreSpoilt((file) => fs.writeFileSync(file, 'not redis at all\n'));
      process.stdout.write(`REDIS restore of a junk RDB answered ${answer.status} in ${ms} ms\n`);
      expectError(answer, 409, `The restore failed and the database is unchanged: redis-server refused the backup's append-only file: Bad file format reading the append only file ${baseRdb()}: make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>`);
      expect(await get('k')).toBe('$4'); // 'live' (4 bytes), not 'backed up'
      expect(fs.existsSync(volume(db.id, 'redis', 'appendonlydir.before-restore'))).toBe(false);
      expect(await status(db.id)).toBe('RUNNING');
    }, 120_000);

    it("answers the restore of a truncated RDB file with a 409 naming redis-server's reason; the live data stays", async () => {
      const { answer, ms } = await restoreSpoilt((file) => fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2)));
      process.stdout.write(`REDIS restore of a truncated RDB answered ${answer.status} in ${ms} ms\n`);
      const body = expectError(answer, 409);
      expect(body.message).toMatch(/^The restore failed and the database is unchanged: redis-server refused the backup's append-only file: .*Unexpected EOF reading RDB file/);
      expect(JSON.stringify(body)).not.toContain(password);
      expect(JSON.stringify(body)).not.toContain(t.dataDir);
      await redisCommand(socket(), password, ['SET', 'k2', 'writable']);
      expect(await get('k')).toBe('$4');
      expect(await status(db.id)).toBe('RUNNING');
    }, 120_000);

    it('restores the same backup once it is whole again', async () => {
      const { answer } = await restoreSpoilt(() => undefined);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(await get('k')).toBe('$9'); // 'backed up'
    });

    it("says the server is down when the database's own data is damaged too; a whole backup starts it again", async () => {
      const live = volume(db.id, 'redis', 'appendonlydir');
      const liveBase = /^file (\S+) seq \d+ type b$/m.exec(fs.readFileSync(path.join(live, 'appendonly.aof.manifest'), 'utf8'))?.[1] ?? '';
      fs.writeFileSync(path.join(live, liveBase), 'not redis either\n'); // read at the next start only
      const { answer } = await restoreSpoilt((file) => fs.writeFileSync(file, 'not redis at all\n'));
      expectError(answer, 503, `The restore failed, and redis-server does not start from the database's own data either: Bad file format reading the append only file ${liveBase}: make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>; restore a backup that is whole to start it again`);
      await expect(get('k')).rejects.toThrow(/ENOENT|ECONNREFUSED/);
      const down = (await t.request('GET', ws(`/databases/${db.id}/status`))).body;
      expect(down).toMatchObject({ status: 'RUNNING', readyInstances: 0, desiredInstances: 1, message: "The database's server is not running (after a failed restore: restore a backup that is whole)" });
      const { answer: whole } = await restoreSpoilt(() => undefined);
      expect(whole.status, JSON.stringify(whole.body)).toBe(200);
      expect(await get('k')).toBe('$9');
      expect((await t.request('GET', ws(`/databases/${db.id}/status`))).body).toMatchObject({ readyInstances: 1, message: null });
    }, 120_000);
  });

  describe('SQLITE', () => {
    let db: { id: string };
    const sql = (statement: string) => runCommand(['/usr/bin/sqlite3', volume(db.id, 'db.sqlite'), statement], { env: { PATH: '/usr/bin' }, timeoutMs: 10_000 });
    const count = async () => Number((await sql('SELECT count(*) FROM t;')).stdout.trim());

    beforeAll(async () => {
      db = await create('SQLITE', 'lite-failing');
      await sql("CREATE TABLE t (v text); WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5000) INSERT INTO t SELECT 'row ' || x FROM c;");
    });

    it("answers the restore of a truncated or spoilt file with a 409 in sqlite3's words; the data stays as it was", async () => {
      const taken = await backup(db.id);
      await sql("DELETE FROM t WHERE rowid > 10;");
      const file = backupDir(db.id, taken.id, 'db.sqlite');
      fs.truncateSync(file, 4096 * 5);
      expectError(await restore(db.id, taken.id), 409, 'The restore failed and the database is unchanged: sqlite3 exited with status 1: Error: database disk image is malformed');
      expect(await count()).toBe(10);
      fs.writeFileSync(file, 'not a database, but long enough to have a header of sorts: '.repeat(4));
      expectError(await restore(db.id, taken.id), 409, 'The restore failed and the database is unchanged: sqlite3 exited with status 1: Error: file is not a database');
      expect(await count()).toBe(10);
      expect(await status(db.id)).toBe('RUNNING');
    });

    it("quotes sqlite3's words about a file of the backup without Berth's data dir in them", async () => {
      const taken = await backup(db.id);
      const file = backupDir(db.id, taken.id, 'db.sqlite');
      const whole = fs.readFileSync(file);
      fs.rmSync(file);
      fs.mkdirSync(file);
      const body = expectError(await restore(db.id, taken.id), 409, `The restore failed and the database is unchanged: sqlite3 exited with status 1: Error: cannot open "<data>/backups/${db.id}/${taken.id}/db.sqlite"`);
      expect(JSON.stringify(body)).not.toContain(t.dataDir);
      expect(await count()).toBe(10);
      fs.rmdirSync(file);
      fs.writeFileSync(file, whole);
    });

    it('answers a backup that fills the disk with a 409 saying so, keeping no partial backup', async () => {
      await sql("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5000) INSERT INTO t SELECT 'more ' || x FROM c;");
      const before = await backups(db.id);
      // The database's backups directory on a disk of its own, with room for the backups so far only.
      const saved = path.join(programs, 'saved-backups');
      fs.cpSync(backupDir(db.id), saved, { recursive: true });
      const used = before.reduce((sum, id) => sum + fs.statSync(backupDir(db.id, id, 'db.sqlite')).size, 0);
      expect((await runCommand(['/usr/bin/mount', '-t', 'tmpfs', '-o', `size=${used + 64 * 1024}`, 'tmpfs', backupDir(db.id)], { env: { PATH: '/usr/bin:/bin' }, timeoutMs: 10_000 })).exitCode).toBe(0);
      try {
        fs.cpSync(saved, backupDir(db.id), { recursive: true });
        expectError(await t.request('POST', ws(`/databases/${db.id}/backups`)), 409, 'The backup failed: sqlite3 exited with status 1: Error: database or disk is full');
        expect(await backups(db.id)).toEqual(before);
        expect(onDisk(db.id)).toEqual([...before].sort());
      } finally {
        await runCommand(['/usr/bin/umount', backupDir(db.id)], { env: { PATH: '/usr/bin:/bin' }, timeoutMs: 10_000 });
      }
      expect(await count()).toBe(5010);
      expect(await status(db.id)).toBe('RUNNING');
    });
  });
});

describe('a backup a stopped Berth left half written', () => {
  it('is removed when Berth starts; whole backups stay', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-partial-backups-'));
    const dir = path.join(dataDir, 'backups', 'db_leftover');
    fs.mkdirSync(path.join(dir, '.partial-bkp_1700000000001'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.partial-bkp_1700000000001', 'dump.pgc'), 'PGDMP half');
    fs.mkdirSync(path.join(dir, 'bkp_1700000000000'));
    fs.writeFileSync(path.join(dir, 'bkp_1700000000000', 'dump.pgc'), 'PGDMP whole');
    const t = await startTestBerth('sqlite', { via: 'inject', dataDir, env: { BERTH_DB_BACKUP_CRON: 'off' } });
    try {
      expect(fs.readdirSync(dir)).toEqual(['bkp_1700000000000']);
    } finally {
      await t.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
