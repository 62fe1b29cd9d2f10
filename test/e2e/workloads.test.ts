// Workers, cron apps and autoscaling under a real Berth with real child processes.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactDir } from '../support/app-fixtures.js';
import { startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';

function scriptApp(source: string): string {
  const dir = artifactDir();
  fs.writeFileSync(path.join(dir, 'main.js'), source);
  return dir;
}

async function until<T>(probe: () => Promise<T>, ok: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await probe();
  while (!ok(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    value = await probe();
  }
  return value;
}

describe('workloads', () => {
  let t: TestBerth;
  beforeAll(async () => {
    t = await startTestBerth('sqlite', { env: { BERTH_AUTOSCALE_INTERVAL_MS: '1000', BERTH_AUTOSCALE_WINDOW_MS: '3000' } });
  });
  afterAll(async () => t?.close());

  const create = async (body: Record<string, unknown>) => {
    const res = await t.request('POST', `/api/v1/workspaces/${t.workspaceId}/apps`, { body });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };

  it('runs a worker (no port) and counts it ready once it stays up', async () => {
    const appId = await create({ name: 'Worker', slug: 'worker', type: 'worker' });
    const result = await t.berth.core.deployArtifact({
      appId,
      artifactDir: scriptApp('setInterval(() => console.log("tick"), 200);'),
      command: ['/usr/bin/node', 'main.js'],
      imageRef: 'dir:worker',
      triggerType: 'MANUAL',
    });
    expect(result.deployment.status).toBe('succeeded');
    const status = await t.request('GET', `/api/v1/workspaces/${t.workspaceId}/deploy/${result.deployment.id}/runtime-status`);
    expect(status.body).toMatchObject({ phase: 'Running', ready: 1, total: 1 });
  });

  it('runs a cron app once per tick and records exit codes', async () => {
    const appId = await create({ name: 'Cron', slug: 'cron-job', type: 'cron', schedule: '* * * * * *' });
    const result = await t.berth.core.deployArtifact({
      appId,
      artifactDir: scriptApp('process.exit(Number(process.env.EXIT_CODE ?? 3));'),
      command: ['/usr/bin/node', 'main.js'],
      imageRef: 'dir:cron',
      triggerType: 'MANUAL',
    });
    expect(result.deployment.status).toBe('succeeded');
    const runs = await until(
      async () => (await t.request('GET', `/api/v1/workspaces/${t.workspaceId}/apps/cron-job/cron-runs`)).body as any[],
      (list) => list.filter((r) => r.status === 'failed').length >= 2,
      20_000,
    );
    const finished = runs.filter((r) => r.status === 'failed');
    expect(finished.length).toBeGreaterThanOrEqual(2);
    expect(finished.every((r) => r.exitCode === 3)).toBe(true);
    expect(new Set(runs.map((r) => r.scheduledFor)).size).toBe(runs.length);
  });

  it('probes readiness on the configured HTTP path, or by TCP connect', async () => {
    const picky = `
const http = require('http');
http.createServer((req, res) => { res.statusCode = req.url === '/healthz' ? 200 : 503; res.end(); })
  .listen(Number(process.env.PORT), '127.0.0.1');`;
    const deploy = async (appId: string) =>
      (await t.berth.core.deployArtifact({ appId, artifactDir: scriptApp(picky), command: ['/usr/bin/node', 'main.js'], imageRef: 'dir:picky', triggerType: 'MANUAL' })).deployment;
    const onPath = await create({ name: 'Path', slug: 'probe-path', type: 'api', readinessPath: '/healthz' });
    expect((await deploy(onPath)).status).toBe('succeeded');
    const byTcp = await create({ name: 'Tcp', slug: 'probe-tcp', type: 'api', readinessType: 'tcp' });
    expect((await deploy(byTcp)).status).toBe('succeeded');
  });

  it('rejects an invalid cron schedule', async () => {
    const res = await t.request('POST', `/api/v1/workspaces/${t.workspaceId}/apps`, {
      body: { name: 'Bad', slug: 'bad-cron', type: 'cron', schedule: 'every minute' },
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.message)).toContain('schedule');
  });

  it('scales a busy app out between min and max replicas', async () => {
    const appId = await create({
      name: 'Busy',
      slug: 'busy',
      type: 'api',
      visibility: 'public',
      cpuLimitMillicores: 100,
      cpuTargetUtilization: 50,
      minReplicas: 1,
      maxReplicas: 3,
    });
    const busy = scriptApp(`
const http = require('http');
http.createServer((req, res) => res.end('ok')).listen(Number(process.env.PORT), '127.0.0.1');
setInterval(() => { const end = Date.now() + 90; while (Date.now() < end) {} }, 100);
`);
    const result = await t.berth.core.deployArtifact({ appId, artifactDir: busy, command: ['/usr/bin/node', 'main.js'], imageRef: 'dir:busy', triggerType: 'MANUAL' });
    expect(result.deployment.status).toBe('succeeded');
    const initial = (await t.request('GET', `/api/v1/workspaces/${t.workspaceId}/deploy/${result.deployment.id}/runtime-status`)).body;
    expect(initial.total).toBe(1);
    const status = await until(
      async () => (await t.request('GET', `/api/v1/workspaces/${t.workspaceId}/deploy/${result.deployment.id}/runtime-status`)).body,
      (s: any) => s.total >= 2,
      40_000,
    );
    expect(status.total).toBeGreaterThanOrEqual(2);
    expect(status.total).toBeLessThanOrEqual(3);

    // The app view says how many replicas run now, not the minimum it was created with.
    const view = (await t.request('GET', `/api/v1/workspaces/${t.workspaceId}/apps/${appId}`)).body;
    expect(view.replicas).toBeGreaterThanOrEqual(2);

    // A deploy while scaled out starts as many instances as serve now before it takes the traffic.
    const next = await t.berth.core.deployArtifact({ appId, artifactDir: busy, command: ['/usr/bin/node', 'main.js'], imageRef: 'dir:busy-2', triggerType: 'MANUAL' });
    expect(next.deployment.status).toBe('succeeded');
    const atSwitch = (await t.request('GET', `/api/v1/workspaces/${t.workspaceId}/deploy/${next.deployment.id}/runtime-status`)).body;
    expect(atSwitch.ready).toBeGreaterThanOrEqual(2);
  });
});
