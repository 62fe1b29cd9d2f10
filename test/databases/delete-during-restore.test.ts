// Deleting a REDIS database while one of its backups is being restored, through the API in
// process with a real redis-server: the deletion waits for the restore's turn, so it ends with the
// database and its volume gone and no server of it left running (the restore no longer starts
// its server again on a volume it re-created after the deletion removed it).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisCommand } from '../../src/engine/databases/redis-server.js';
import { until } from '../e2e/support/edge-client.js';
import { startTestBerth, type TestBerth } from '../support/test-berth.js';
import { runningDatabase } from './running-database.js';
import { serverPids } from './server-pids.js';

describe.runIf(process.getuid?.() === 0 && fs.existsSync('/usr/bin/redis-server'))('a REDIS database deleted during a restore', () => {
  let t: TestBerth;
  const ws = (p: string) => `/api/v1/workspaces/${t.workspaceId}${p}`;

  beforeAll(async () => {
    t = await startTestBerth('sqlite', { via: 'inject', env: { BERTH_DB_BACKUP_CRON: 'off' } });
  });
  afterAll(async () => t?.close());

  it('is gone with its volume, and no server of it runs', async () => {
    const db = await runningDatabase(t, 'REDIS', 'doomed');
    const { password } = (await t.request('GET', ws(`/databases/${db.id}/connection`))).body;
    // Enough data that the restore spends a while putting the backup's files in place.
    const socket = path.join(t.dataDir, 'volumes', db.id, 'data', 'run', 'redis.sock');
    for (const key of ['a', 'b', 'c']) await redisCommand(socket, password, ['SET', key, key.repeat(20 * 1024 * 1024)]);
    const taken = await t.request('POST', ws(`/databases/${db.id}/backups`));
    expect(taken.status, JSON.stringify(taken.body)).toBe(201);
    expect(serverPids(db.id).length).toBeGreaterThan(0);

    const restoring = t.request('POST', ws(`/databases/${db.id}/backups/${taken.body.id}/restore`));
    // The restore has begun: it has stopped the server to put the backup's files in place.
    await until(async () => serverPids(db.id), (pids) => pids.length === 0, 30_000, 2);
    const deleted = await t.request('DELETE', ws(`/databases/${db.id}`));
    const restored = await restoring;
    expect(deleted.status, JSON.stringify(deleted.body)).toBe(204);
    expect(restored.status, JSON.stringify(restored.body)).toBe(200);
    expect((await t.request('GET', ws(`/databases/${db.id}`))).status).toBe(404);
    expect(fs.existsSync(path.join(t.dataDir, 'volumes', db.id))).toBe(false);
    expect(serverPids(db.id)).toEqual([]);
  }, 120_000);
});
