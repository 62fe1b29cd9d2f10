// The edge on worker processes sharing its listening socket: connections spread over the
// workers, API keys are resolved by Berth's process, the drain sees requests in flight in any
// worker, a dead worker is replaced without refusing traffic, and counters never go backwards.
import fs from 'node:fs';
import { Agent } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Edge } from '../../src/edge/create-edge.js';
import { aTable, aTarget, anApp, call, startEdge, startUpstream, workerPids, type Upstream } from './helpers.js';

let app: Upstream;
let slow: Upstream;
let edge: Edge;
let port: number;
const releases: (() => void)[] = [];
const keysAsked: string[] = [];

/** CPU ticks a process has used. */
function cpuTicks(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return Number(fields[11]) + Number(fields[12]);
}

async function until(check: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

beforeAll(async () => {
  app = await startUpstream((_req, res) => res.end('ok'));
  slow = await startUpstream((_req, res) => {
    releases.push(() => res.end('late'));
  });
  ({ edge, port } = await startEdge({
    workers: 2,
    resolveKey: async (key) => {
      keysAsked.push(key);
      return key === 'dor_sk_good_key_for_ws' ? 'ws_one' : null;
    },
  }));
  await edge.setRoutes(
    aTable([
      anApp({ slug: 'web', targets: [aTarget('web-00001', [app.port])] }),
      anApp({ slug: 'vault', visibility: 'private', targets: [aTarget('vault-00001', [app.port])] }),
      anApp({ slug: 'slow', targets: [aTarget('slow-00001', [slow.port])] }),
    ]),
  );
});

afterAll(async () => {
  for (const release of releases) release();
  await edge.close();
  await Promise.all([app.close(), slow.close()]);
});

describe('edge workers', () => {
  it('runs the data plane in two processes that both serve connections', async () => {
    const pids = workerPids();
    expect(pids).toHaveLength(2);
    const before = pids.map(cpuTicks);
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        // A connection per request: the kernel hands each to one worker, so both get many of the
        // 1,200 (8 kept-alive connections could all land on one worker).
        const agent = new Agent({ keepAlive: false, maxSockets: 1 });
        for (let i = 0; i < 150; i++) expect((await call(port, { host: 'web.apps.test', agent })).status).toBe(200);
        agent.destroy();
      }),
    );
    const used = pids.map((pid, i) => cpuTicks(pid) - (before[i] ?? 0));
    expect(used.every((ticks) => ticks > 0)).toBe(true);
    const web = (await edge.stats()).apps.find((a) => a.slug === 'web');
    expect(web?.requests).toBeGreaterThanOrEqual(1200);
  });

  it('asks Berth’s process about API keys for private apps', async () => {
    const denied = await call(port, { host: 'vault.apps.test', headers: { authorization: 'Bearer dor_sk_wrong_key_for_ws' } });
    expect(denied.status).toBe(401);
    const allowed = await call(port, { host: 'vault.apps.test', headers: { authorization: 'Bearer dor_sk_good_key_for_ws' } });
    expect(allowed.status).toBe(200);
    expect(keysAsked).toContain('dor_sk_good_key_for_ws');
  });

  it('reports requests in flight to an instance the table dropped until they are answered', async () => {
    const pending = call(port, { host: 'slow.apps.test' });
    await until(() => releases.length === 1);
    const endpoint = { host: '127.0.0.1', port: slow.port };
    await edge.setRoutes(
      aTable([
        anApp({ slug: 'web', targets: [aTarget('web-00001', [app.port])] }),
        anApp({ slug: 'slow', targets: [aTarget('slow-00002', [app.port])] }),
      ]),
    );
    expect(edge.inFlight(endpoint)).toBe(1);
    releases.shift()?.();
    expect((await pending).body).toBe('late');
    await until(() => edge.inFlight(endpoint) === 0);
  });

  it('replaces a worker that dies, keeps serving meanwhile, and keeps its counts', async () => {
    const before = (await edge.stats()).apps.find((a) => a.slug === 'web')?.requests ?? 0;
    const [victim] = workerPids();
    process.kill(victim ?? 0, 'SIGKILL');
    const statuses: number[] = [];
    for (let i = 0; i < 50; i++) statuses.push((await call(port, { host: 'web.apps.test' })).status);
    expect(statuses.every((status) => status === 200)).toBe(true);
    await until(() => workerPids().length === 2 && !workerPids().includes(victim ?? 0));
    const after = (await edge.stats()).apps.find((a) => a.slug === 'web')?.requests ?? 0;
    expect(after).toBeGreaterThanOrEqual(before);
    expect((await call(port, { host: 'web.apps.test' })).status).toBe(200);
  });
});
