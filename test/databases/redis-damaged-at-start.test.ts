// A REDIS database whose own append-only data was damaged before Berth stopped: at the next
// start its server refuses the data, and the database says so (FAILED, in Redis's own words,
// without Berth's data dir) as soon as redis-server has exited, not after the 30 s start deadline.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { redisCommand } from '../../src/engine/databases/redis-server.js';
import { until } from '../e2e/support/edge-client.js';
import { restartableBerth, runningDatabase } from './running-database.js';

describe.runIf(process.getuid?.() === 0 && fs.existsSync('/usr/bin/redis-server'))('a REDIS database whose data was damaged, at the next start', () => {
  const berth = restartableBerth('berth-redis-damaged-');
  const { dataDir } = berth;

  it("fails at the next start with redis-server's reason", async () => {
    let t = await berth.start();
    const db = await runningDatabase(t, 'REDIS', 'cache');
    const { password } = (await t.request('GET', `/api/v1/workspaces/${t.workspaceId}/databases/${db.id}/connection`)).body;
    await redisCommand(path.join(dataDir, 'volumes', db.id, 'data', 'run', 'redis.sock'), password, ['SET', 'k', 'v']);
    // The RDB base is read at start only; the volume is mounted while Berth runs.
    const aof = path.join(dataDir, 'volumes', db.id, 'data', 'redis', 'appendonlydir');
    const base = /^file (\S+) seq \d+ type b$/m.exec(fs.readFileSync(path.join(aof, 'appendonly.aof.manifest'), 'utf8'))?.[1] ?? '';
    fs.writeFileSync(path.join(aof, base), 'not redis at all\n');
    await berth.stop();

    const started = performance.now();
    t = await berth.start();
    const url = `/api/v1/workspaces/${t.workspaceId}/databases/${db.id}`;
    const failed = await until(() => t.request('GET', url), (r) => r.body.status !== 'RUNNING', 60_000, 50);
    process.stdout.write(`REDIS database with a damaged AOF failed ${Math.round(performance.now() - started)} ms after Berth started\n`);
    expect(failed.body).toMatchObject({
      status: 'FAILED',
      statusMessage: `redis-server exited before it served: Bad file format reading the append only file ${base}: make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>`,
    });
    expect(JSON.stringify(failed.body)).not.toContain(dataDir);
  }, 120_000);
});
