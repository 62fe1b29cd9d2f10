// kill -9 of a real `berth start` process: the database server it started dies with it (nothing
// of it outlives Berth), and the next start brings the database back RUNNING with its rows.
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { apiClient } from '../e2e/support/api-client.js';
import { killScope } from '../e2e/support/berth-process.js';
import { until } from '../e2e/support/edge-client.js';

/** Processes of the database's server: its sandbox names its volume and runs the machine's binaries. */
function serverPids(dbId: string): string[] {
  return fs.readdirSync('/proc').filter((p) => {
    try {
      const argv = fs.readFileSync(`/proc/${p}/cmdline`, 'utf8');
      return /^\d+$/.test(p) && argv.includes(dbId) && argv.includes('/usr/lib/postgresql');
    } catch {
      return false;
    }
  });
}

describe.runIf(process.getuid?.() === 0)('a POSTGRES database across a kill -9 of Berth', () => {
  const scope = killScope('pg9');
  afterAll(() => scope.cleanup());

  it('dies with Berth and comes back with its data', { timeout: 240_000 }, async () => {
    const env = await scope.processEnv();
    const first = await scope.start(env);
    const key = fs.readFileSync(path.join(scope.dataDir, 'admin-key'), 'utf8').trim();
    const api = apiClient(first.apiUrl, key);
    const workspaceId = (await api.call<{ workspaceId: string }>('GET', '/api-keys/whoami')).body.workspaceId;
    const ws = (p: string) => `/workspaces/${workspaceId}${p}`;
    const db = (await api.call('POST', ws('/databases'), { name: 'Durable', slug: 'durable', engine: 'POSTGRES', storageGb: 1 })).body;
    const running = await until(() => api.call('GET', ws(`/databases/${db.id}`)), (r) => r.body.status !== 'PROVISIONING', 60_000, 100);
    expect(running.body.status).toBe('RUNNING');
    const connection = (await api.call('GET', ws(`/databases/${db.id}/connection`))).body;
    const owner = new pg.Client({ host: path.join(scope.dataDir, 'volumes', db.id, 'data', 'run'), user: connection.username, password: connection.password, database: connection.database });
    await owner.connect();
    await owner.query('CREATE TABLE kept (v text)');
    await owner.query("INSERT INTO kept VALUES ('before the kill')");
    await owner.end();
    expect(serverPids(db.id).length).toBeGreaterThan(0);

    first.child.kill('SIGKILL');
    await first.exited;
    expect((await until(async () => serverPids(db.id), (pids) => pids.length === 0, 10_000, 100))).toEqual([]);
    // Nothing of the server answers any more (its pid namespace went with Berth).
    const connects = async () => {
      const probe = new pg.Client({ host: path.join(scope.dataDir, 'volumes', db.id, 'data', 'run'), user: connection.username, password: connection.password, database: connection.database });
      try {
        await probe.connect();
        await probe.end();
        return true;
      } catch {
        return false;
      }
    };
    expect(await until(connects, (ok) => !ok, 10_000, 100)).toBe(false);

    const second = await scope.start(await scope.processEnv());
    const api2 = apiClient(second.apiUrl, key);
    const rows = await until(
      () => api2.call('POST', ws(`/databases/${db.id}/query`), { sql: 'SELECT v FROM kept' }),
      (r) => r.status === 200,
      60_000,
      200,
    );
    expect(rows.body, JSON.stringify(rows.body)).toMatchObject({ rows: [{ v: 'before the kill' }] });
    expect((await api2.call('GET', ws(`/databases/${db.id}`))).body.status).toBe('RUNNING');
    expect((await api2.call('DELETE', ws(`/databases/${db.id}`))).status).toBe(204);
  });
});
