// A REDIS database whose server served, then died with its append-only data damaged meanwhile,
// through the API in process with a real redis-server: the same supervisor as POSTGRES's restarts
// it while saying so, then gives up: FAILED in redis-server's words, audited, its files untouched.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisCommand } from '../../src/engine/databases/redis-server.js';
import { processTree, readAllStats } from '../../src/engine/runtime/host/proc-fs.js';
import { until } from '../e2e/support/edge-client.js';
import { startTestBerth, type TestBerth } from '../support/test-berth.js';
import { runningDatabase } from './running-database.js';

const cmdline = (pid: number) => {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
};

/** The database's redis-server: in the sandbox that binds its volume. */
function redisServer(dbId: string): number | null {
  const stats = readAllStats();
  for (const sandbox of stats.filter((p) => p.comm === 'bwrap' && cmdline(p.pid).includes(dbId))) {
    const main = processTree(sandbox.pid, stats).find((p) => p.comm === 'redis-server');
    if (main) return main.pid;
  }
  return null;
}

describe.runIf(process.getuid?.() === 0 && fs.existsSync('/usr/bin/redis-server'))('a REDIS server that served, then stops starting', () => {
  let t: TestBerth;
  const ws = (p: string) => `/api/v1/workspaces/${t.workspaceId}${p}`;

  beforeAll(async () => {
    // Restarts 0.25, 0.5, 1, 2, 4 s apart instead of the default 1 s doubling: the same five tries in a quarter of the time.
    t = await startTestBerth('sqlite', { via: 'inject', env: { BERTH_DB_BACKUP_CRON: 'off', BERTH_DB_RESTART_DELAY_MS: '250' } });
  });
  afterAll(async () => t?.close());

  it('is restarted, said so, then FAILED in redis-server words, with its files as they were', async () => {
    const db = await runningDatabase(t, 'REDIS', 'cache');
    const { password } = (await t.request('GET', ws(`/databases/${db.id}/connection`))).body;
    await redisCommand(path.join(t.dataDir, 'volumes', db.id, 'data', 'run', 'redis.sock'), password, ['SET', 'k', 'v']);
    // The RDB base is read at start only.
    const aof = path.join(t.dataDir, 'volumes', db.id, 'data', 'redis', 'appendonlydir');
    const base = /^file (\S+) seq \d+ type b$/m.exec(fs.readFileSync(path.join(aof, 'appendonly.aof.manifest'), 'utf8'))?.[1] ?? '';
    fs.writeFileSync(path.join(aof, base), 'not redis at all\n');
    const pid = redisServer(db.id);
    expect(pid).not.toBeNull();
    process.kill(pid as number, 'SIGKILL');

    const why = `Bad file format reading the append only file ${base}: make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>`;
    const restarting = await until(() => t.request('GET', ws(`/databases/${db.id}/status`)), (r) => /attempt [2-5] of 5/.test(r.body.message ?? '') || r.body.status !== 'RUNNING', 60_000, 50);
    expect(restarting.body).toMatchObject({ status: 'RUNNING', readyInstances: 0 });
    expect(restarting.body.message).toMatch(/^The database's server exited \(.+\); Berth is restarting it: attempt [2-5] of 5, (next try at .+Z|under way now)$/);
    expect(restarting.body.message).toContain(`(${why})`);

    const failed = await until(() => t.request('GET', ws(`/databases/${db.id}`)), (r) => r.body.status !== 'RUNNING', 120_000, 200);
    expect(failed.body).toMatchObject({ status: 'FAILED', statusMessage: `redis-server exited and failed to start again 5 times in a row: ${why}` });
    expect(JSON.stringify(failed.body)).not.toContain(t.dataDir);
    const [entry] = (await t.request('GET', ws(`/databases/${db.id}/audit?limit=1`))).body;
    expect(entry).toMatchObject({ action: 'database.fail', actor: null, detail: { engine: 'REDIS', reason: failed.body.statusMessage } });
    expect(fs.readFileSync(path.join(aof, base), 'utf8')).toBe('not redis at all\n');
    expect(redisServer(db.id)).toBeNull();
  }, 240_000);
});
