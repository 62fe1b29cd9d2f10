// What a user asks of POSTGRES databases while Berth, just started, starts their servers again
// (through the API in process, real postgres servers on a data dir that outlives Berth): a restart
// is refused with a 409 saying why, changing nothing, and works once that start has ended; a
// delete waits for it and ends with the database, its volume and its server gone.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { until } from '../e2e/support/edge-client.js';
import { expectError } from '../support/expect-error.js';
import { restartableBerth, runningDatabase } from './running-database.js';
import { serverPids } from './server-pids.js';

describe.runIf(process.getuid?.() === 0 && fs.existsSync('/usr/lib/postgresql/15/bin/postgres'))('POSTGRES databases while Berth starts their servers again', () => {
  const berth = restartableBerth('berth-pg-resume-');

  it('refuse a restart until that start has ended, and are deleted whole', async () => {
    let t = await berth.start();
    const kept = await runningDatabase(t, 'POSTGRES', 'kept');
    const doomed = await runningDatabase(t, 'POSTGRES', 'doomed');
    await berth.stop();

    t = await berth.start();
    const ws = (p: string) => `/api/v1/workspaces/${t.workspaceId}${p}`;
    const trail = async () => (await t.request<{ action: string }[]>('GET', ws(`/databases/${kept.id}/audit`))).body.map((e) => e.action);
    const [restart, deleted] = await Promise.all([t.request('POST', ws(`/databases/${kept.id}/restart`)), t.request('DELETE', ws(`/databases/${doomed.id}`))]);
    expectError(restart, 409, "Berth is starting the database's server; restart it once that start has ended (its status says how it went)");
    expect(await trail()).not.toContain('database.restart');

    const serving = await until(() => t.request('GET', ws(`/databases/${kept.id}/status`)), (r) => r.body.readyInstances === 1 || r.body.status !== 'RUNNING', 60_000, 50);
    expect(serving.body).toMatchObject({ status: 'RUNNING', readyInstances: 1, message: null });
    const again = await t.request('POST', ws(`/databases/${kept.id}/restart`));
    expect(again.status, JSON.stringify(again.body)).toBe(202);
    const back = await until(() => t.request('GET', ws(`/databases/${kept.id}`)), (r) => r.body.status !== 'PROVISIONING', 60_000, 100);
    expect(back.body.status, JSON.stringify(back.body)).toBe('RUNNING');
    expect((await t.request('POST', ws(`/databases/${kept.id}/query`), { body: { sql: 'SELECT 1 AS one' } })).body.rows).toEqual([{ one: 1 }]);
    expect(await trail()).toContain('database.restart');

    expect(deleted.status, JSON.stringify(deleted.body)).toBe(204);
    expect((await t.request('GET', ws(`/databases/${doomed.id}`))).status).toBe(404);
    expect(fs.existsSync(path.join(berth.dataDir, 'volumes', doomed.id))).toBe(false);
    expect(serverPids(doomed.id)).toEqual([]);
  }, 240_000);
});
