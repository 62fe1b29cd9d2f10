// A POSTGRES database whose server served, then died and will not start again (its configuration
// spoilt meanwhile), through the API in process with a real postgres: while Berth restarts it,
// its status says so (the attempt, the next try, postgres's words) and a query is told to try
// again; after a bounded number of failed starts Berth gives up: the database is FAILED with
// postgres's reason, the audit trail says so, no server of it runs, and its data is untouched;
// once the setting is mended, a restart the user asks for brings it back RUNNING with its rows.
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processTree, readAllStats } from '../../src/engine/runtime/host/proc-fs.js';
import { until } from '../e2e/support/edge-client.js';
import { expectError } from '../support/expect-error.js';
import { startTestBerth, type TestBerth } from '../support/test-berth.js';
import { runningDatabase } from './running-database.js';

const cmdline = (pid: number) => {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
};

/** The database's postgres (the postmaster, not its children): in the sandbox that binds its volume. */
function postmaster(dbId: string): number | null {
  const stats = readAllStats();
  for (const sandbox of stats.filter((p) => p.comm === 'bwrap' && cmdline(p.pid).includes(dbId))) {
    const tree = processTree(sandbox.pid, stats);
    const main = tree.find((p) => p.comm === 'postgres' && tree.find((q) => q.pid === p.ppid)?.comm !== 'postgres');
    if (main) return main.pid;
  }
  return null;
}

const serverProcesses = (dbId: string) => readAllStats().filter((p) => cmdline(p.pid).includes(dbId));

const RESTARTING = /^The database's server exited \((.+)\); Berth is restarting it: attempt (\d) of 5, (next try at \d{4}-\d\d-\d\dT[\d:.]+Z|under way now)$/;

describe.runIf(process.getuid?.() === 0 && fs.existsSync('/usr/lib/postgresql/15/bin/postgres'))('a POSTGRES server that served, then stops starting', () => {
  let t: TestBerth;
  const ws = (p: string) => `/api/v1/workspaces/${t.workspaceId}${p}`;

  beforeAll(async () => {
    // Restarts 0.25, 0.5, 1, 2, 4 s apart instead of the default 1 s doubling: the same five tries in a quarter of the time.
    t = await startTestBerth('sqlite', { via: 'inject', env: { BERTH_DB_BACKUP_CRON: 'off', BERTH_DB_RESTART_DELAY_MS: '250' } });
  });
  afterAll(async () => t?.close());

  it('is restarted with a growing wait, said so, then FAILED in postgres words and left alone', async () => {
    const db = await runningDatabase(t, 'POSTGRES', 'spoilt');
    const connection = (await t.request('GET', ws(`/databases/${db.id}/connection`))).body;
    const owner = new pg.Client({ host: path.join(t.dataDir, 'volumes', db.id, 'data', 'run'), user: connection.username, password: connection.password, database: connection.database });
    await owner.connect();
    await owner.query("CREATE TABLE kept AS SELECT 'before it broke' AS v");
    await owner.end();
    const pgdata = path.join(t.dataDir, 'volumes', db.id, 'data', 'pgdata');
    // Read at start only: the running server does not notice, its next start refuses.
    fs.appendFileSync(path.join(pgdata, 'postgresql.conf'), '\nthis is not a setting\n');
    const files = fs.readdirSync(path.join(pgdata, 'base'), { recursive: true }).length;
    const pid = postmaster(db.id);
    expect(pid).not.toBeNull();
    process.kill(pid as number, 'SIGKILL');

    // While Berth restarts it: what happens, which attempt, when the next, and postgres's words.
    const status = () => t.request('GET', ws(`/databases/${db.id}/status`));
    const restarting = await until(status, (r) => /attempt [2-5] of 5/.test(r.body.message ?? '') || r.body.status !== 'RUNNING', 60_000, 50);
    expect(restarting.body).toMatchObject({ status: 'RUNNING', readyInstances: 0, desiredInstances: 1 });
    expect(restarting.body.message).toMatch(RESTARTING);
    expect(RESTARTING.exec(restarting.body.message)?.[1]).toMatch(/^syntax error in file "\/mnt\/pgdata\/postgresql\.conf" line \d+, near token "not" FATAL: configuration file "\/mnt\/pgdata\/postgresql\.conf" contains errors$/);
    // The same facts as fields, so that no client has to read them out of the sentence.
    const [, lastExit, attempt, next] = RESTARTING.exec(restarting.body.message) ?? [];
    expect(restarting.body).toMatchObject({ restartAttempt: Number(attempt), maxRestartAttempts: 5, lastExit, nextRestartAt: next === 'under way now' ? null : next?.replace('next try at ', '') });
    expect(restarting.body.message).not.toContain('restore');
    expect(restarting.body.message).not.toContain(t.dataDir);
    const query = await t.request('POST', ws(`/databases/${db.id}/query`), { body: { sql: 'SELECT 1' } });
    expect(expectError(query, 503).message).toMatch(/^The database's server exited and Berth is restarting it \(attempt [2-5] of 5\): try again shortly$/);

    // Given up on: FAILED in postgres's words, audited as Berth's doing, nothing of it left running.
    const failed = await until(() => t.request('GET', ws(`/databases/${db.id}`)), (r) => r.body.status !== 'RUNNING', 120_000, 200);
    expect(failed.body.status).toBe('FAILED');
    expect(failed.body.statusMessage).toMatch(
      /^postgres exited and failed to start again 5 times in a row: syntax error in file "\/mnt\/pgdata\/postgresql\.conf" line \d+, near token "not" FATAL: configuration file "\/mnt\/pgdata\/postgresql\.conf" contains errors$/,
    );
    expect((await status()).body).toMatchObject({ status: 'FAILED', readyInstances: 0, message: failed.body.statusMessage, restartAttempt: null, maxRestartAttempts: null, nextRestartAt: null, lastExit: null });
    const audit = (await t.request('GET', ws(`/databases/${db.id}/audit?limit=1`))).body;
    expect(audit).toEqual([{ id: expect.any(String), action: 'database.fail', actor: null, detail: { engine: 'POSTGRES', reason: failed.body.statusMessage }, createdAt: expect.any(String) }]);
    expect(serverProcesses(db.id)).toEqual([]);
    expectError(await t.request('POST', ws(`/databases/${db.id}/query`), { body: { sql: 'SELECT 1' } }), 409, `Database is not RUNNING (it FAILED: ${failed.body.statusMessage})`);
    // Its data is as it was: nothing wiped, nothing re-made.
    expect(fs.readdirSync(path.join(pgdata, 'base'), { recursive: true }).length).toBe(files);
    expect(fs.readFileSync(path.join(pgdata, 'postgresql.conf'), 'utf8')).toContain('this is not a setting');

    // Mended, and restarted on the user's word: RUNNING again with its rows, and audited.
    const conf = path.join(pgdata, 'postgresql.conf');
    fs.writeFileSync(conf, fs.readFileSync(conf, 'utf8').replace('\nthis is not a setting\n', '\n'));
    const restart = await t.request('POST', ws(`/databases/${db.id}/restart`));
    expect(restart.status, JSON.stringify(restart.body)).toBe(202);
    expect(restart.body).toMatchObject({ id: db.id, status: 'PROVISIONING', statusMessage: null });
    const back = await until(() => t.request('GET', ws(`/databases/${db.id}`)), (r) => r.body.status !== 'PROVISIONING', 60_000, 100);
    expect(back.body.status, JSON.stringify(back.body)).toBe('RUNNING');
    expect((await status()).body).toMatchObject({ readyInstances: 1, message: null });
    const rows = await t.request('POST', ws(`/databases/${db.id}/query`), { body: { sql: 'SELECT v FROM kept' } });
    expect(rows.body.rows, JSON.stringify(rows.body)).toEqual([{ v: 'before it broke' }]);
    const trail = (await t.request('GET', ws(`/databases/${db.id}/audit?limit=3`))).body as { action: string; actor: unknown; detail: unknown }[];
    expect(trail.map((e) => e.action)).toEqual(['database.query', 'database.restart', 'database.fail']);
    expect(trail[1]).toMatchObject({ actor: { keyId: expect.any(String) }, detail: { engine: 'POSTGRES', failedWith: failed.body.statusMessage } });
  }, 240_000);
});
