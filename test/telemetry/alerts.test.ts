// Alerts, health and the overview end to end, with short thresholds: a cpu burner raises and
// then auto-resolves high_cpu, a crash-looping app raises crash_loop, an app answering 500s
// raises high_error_rate, an instance killed by its memory limit raises high_memory, a revision
// that never gets ready raises deploy_failed, and a loopback
// webhook receives the alerts (after a failed first delivery, so retries are exercised).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { helloApp } from '../support/app-fixtures.js';
import { startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';
import { createApp, deploy, scriptApp, viaEdge, waitFor, ws } from './support.js';

interface AlertBody {
  id: string;
  appId: string;
  appName: string;
  type: string;
  severity: string;
  message: string;
  triggeredAt: string;
  resolvedAt: string | null;
  resolved: boolean;
}

describe('alerts, health and overview', () => {
  let t: TestBerth;
  let hook: http.Server;
  const received: { event: string; alert: AlertBody }[] = [];
  let refusedOnce = false;

  const alerts = async (query = '') => (await t.request<AlertBody[]>('GET', ws(t, `/monitoring/alerts${query}`))).body;
  const openAlert = (appId: string, type: string) =>
    waitFor(`${type} alert of ${appId}`, async () => (await alerts(`?appId=${appId}&resolved=false`)).find((a) => a.type === type), 60_000, 250);

  beforeAll(async () => {
    hook = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        if (!refusedOnce) {
          refusedOnce = true;
          res.statusCode = 503;
          res.end();
          return;
        }
        received.push(JSON.parse(body));
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    const hookPort = (hook.address() as AddressInfo).port;
    t = await startTestBerth('sqlite', {
      env: {
        BERTH_METRICS_INTERVAL_MS: '500',
        BERTH_HEALTH_INTERVAL_MS: '500',
        BERTH_ALERT_CPU_PERCENT: '25',
        BERTH_ALERT_SUSTAIN_MS: '1500',
        BERTH_ALERT_WINDOW_MS: '5000',
        BERTH_ALERT_MIN_REQUESTS: '5',
        BERTH_ALERT_WEBHOOK_URL: `http://127.0.0.1:${hookPort}/hooks/berth`,
        BERTH_ALERT_WEBHOOK_RETRY_MS: '100',
        BERTH_READY_TIMEOUT_MS: '4000',
      },
    });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await new Promise((resolve) => hook?.close(resolve));
  });

  it('raises high_cpu while an app burns cpu and resolves it once it stops', async () => {
    const app = await createApp(t, { name: 'Burner', slug: 'burner' });
    expect((await deploy(t, app.id, scriptApp(''))).deployment.status).toBe('succeeded');
    expect((await viaEdge(t, app.slug, '/burn?on=1')).body).toBe('true');
    const alert = await openAlert(app.id, 'high_cpu');
    expect(alert).toMatchObject({ appId: app.id, appName: 'Burner', severity: 'warning', resolved: false, resolvedAt: null });
    expect(alert.message).toMatch(/CPU usage exceeded 25% of its limit/);
    expect((await viaEdge(t, app.slug, '/burn?on=0')).body).toBe('false');
    const resolved = await waitFor('high_cpu to resolve', async () => (await alerts(`?appId=${app.slug}&resolved=true`)).find((a) => a.id === alert.id), 60_000, 250);
    expect(resolved.resolvedAt).toEqual(expect.any(String));
    await waitFor('webhook events for high_cpu', () => received.filter((r) => r.alert.id === alert.id).length === 2 || undefined, 20_000);
    expect(received.filter((r) => r.alert.id === alert.id).map((r) => r.event)).toEqual(['alert.triggered', 'alert.resolved']);
    expect(refusedOnce).toBe(true);
  });

  it('raises crash_loop for an app whose instances keep exiting, and reports it unhealthy', async () => {
    const app = await createApp(t, { name: 'Crasher', slug: 'crasher' });
    expect((await deploy(t, app.id, scriptApp(`setTimeout(() => process.exit(3), 300);`))).deployment.status).toBe('succeeded');
    const alert = await openAlert(app.id, 'crash_loop');
    expect(alert).toMatchObject({ severity: 'critical', resolved: false });
    const health = await waitFor('unhealthy', async () => {
      const res = await t.request('GET', ws(t, `/monitoring/apps/${app.id}/health`));
      return res.body.status === 'unhealthy' ? res.body : undefined;
    });
    expect(health).toMatchObject({ appId: app.id, lastDeployedAt: expect.any(String), lastCheckedAt: expect.any(String) });
    const logs = await t.request('GET', ws(t, `/monitoring/apps/${app.id}/logs?severity=ERROR`));
    expect(logs.body.logs.some((l: { message: string }) => /exited with code 3/.test(l.message))).toBe(true);
  });

  it('raises high_error_rate for an app answering 500s; a user can resolve it', async () => {
    const app = await createApp(t, { name: 'Failing', slug: 'failing' });
    expect((await deploy(t, app.id, scriptApp(''))).deployment.status).toBe('succeeded');
    const sent = async () => {
      for (let i = 0; i < 10; i++) expect((await viaEdge(t, app.slug, '/fail')).status).toBe(500);
    };
    await sent();
    const alert = await waitFor('high_error_rate', async () => {
      const found = (await alerts(`?appId=${app.id}`)).find((a) => a.type === 'high_error_rate' && !a.resolved);
      if (!found) await sent();
      return found;
    }, 60_000, 500);
    expect(alert.message).toMatch(/Error rate 100\.0% exceeded 5% threshold/);
    expect(alert.severity).toBe('critical');

    const resolved = await t.request<AlertBody>('PATCH', ws(t, `/monitoring/alerts/${alert.id}/resolve`));
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ id: alert.id, resolved: true, resolvedAt: expect.any(String) });
    expect((await alerts('?resolved=false')).some((a) => a.id === alert.id)).toBe(false);
    expect((await alerts('?resolved=true')).some((a) => a.id === alert.id)).toBe(true);
    expect((await t.request('PATCH', ws(t, '/monitoring/alerts/alr_nope/resolve'))).status).toBe(404);
    await waitFor('webhook resolved event', () => received.some((r) => r.alert.id === alert.id && r.event === 'alert.resolved') || undefined, 20_000);
    // Still failing: no second alert while the condition stays true after a manual resolve.
    await sent();
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await alerts(`?appId=${app.id}&resolved=false`)).filter((a) => a.type === 'high_error_rate')).toEqual([]);
  });

  it('raises high_memory (critical) when an instance is killed by its memory limit, and resolves it once none is in the window', async () => {
    const app = await createApp(t, { name: 'Hog', slug: 'hog', memoryLimitMi: 128 });
    const hog = `if (url.pathname === '/hog') { const keep = []; for (let i = 0; i < 600; i++) keep.push(Buffer.alloc(1 << 20, 1)); globalThis.keep = keep; return res.end('survived'); }`;
    expect((await deploy(t, app.id, scriptApp('', { routes: hog }))).deployment.status).toBe('succeeded');
    // Memory jumps past the limit between two samples: no sampled threshold sees it.
    expect((await viaEdge(t, app.slug, '/hog')).status).toBe(502);
    const alert = await openAlert(app.id, 'high_memory');
    expect(alert).toMatchObject({ severity: 'critical', resolved: false });
    expect(alert.message).toMatch(/^An instance was killed for exceeding the memory limit \(128 MiB\) in the last 5 s: latest hog-00001-\w+ of hog-00001 at /);
    const resolved = await waitFor('high_memory to resolve', async () => (await alerts(`?appId=${app.id}&resolved=true`)).find((a) => a.id === alert.id), 60_000, 250);
    expect(resolved.resolvedAt).toEqual(expect.any(String));
  });

  it('raises deploy_failed when a revision never becomes ready', async () => {
    const app = await createApp(t, { name: 'Never ready', slug: 'never-ready' });
    expect((await deploy(t, app.id, helloApp('x', { failReady: true }))).deployment.status).toBe('failed');
    const alert = await openAlert(app.id, 'deploy_failed');
    expect(alert.message).toMatch(/^Deploy dep_\w+ failed: revision never-ready-00001 did not become ready/);
  });

  it('lists alerts with filters and a limit, newest first', async () => {
    const all = await alerts();
    expect(all.length).toBeGreaterThanOrEqual(4);
    expect(all.map((a) => a.triggeredAt)).toEqual([...all.map((a) => a.triggeredAt)].sort().reverse());
    expect(await alerts('?limit=1')).toHaveLength(1);
    expect((await alerts('?appId=crasher')).every((a) => a.appName === 'Crasher')).toBe(true);
    expect(await alerts('?appId=app_unknown')).toEqual([]);
    const open = await alerts('?resolved=false');
    expect(open.every((a) => !a.resolved)).toBe(true);
    // One open alert per app and type.
    expect(new Set(open.map((a) => `${a.appId}:${a.type}`)).size).toBe(open.length);
  });

  it('reports health and the overview with every field of 004', async () => {
    const app = await createApp(t, { name: 'Steady', slug: 'steady', cpuLimitMillicores: 1000, memoryLimitMi: 1024 });
    expect((await deploy(t, app.id, scriptApp(''))).deployment.status).toBe('succeeded');
    const health = await waitFor('healthy', async () => {
      const res = await t.request('GET', ws(t, `/monitoring/apps/${app.slug}/health`));
      return res.body.status === 'healthy' ? res.body : undefined;
    });
    expect(health).toEqual({
      appId: app.id,
      status: 'healthy',
      uptime: expect.any(Number),
      lastDeployedAt: expect.any(String),
      instanceCount: 1,
      warmInstances: 0,
      errorRate: 0,
      avgLatencyMs: expect.any(Number),
      // Berth's addition: what errorRate and avgLatencyMs are of.
      requestCount: expect.any(Number),
      lastCheckedAt: expect.any(String),
    });

    const overview = await t.request('GET', ws(t, '/monitoring/overview'));
    expect(overview.status).toBe(200);
    const o = overview.body;
    expect(o).toMatchObject({
      totalApps: 6,
      totalDeploys: 6,
      deploysToday: 6,
      failedBuildsToday: 0,
      appHealthSummary: { healthy: expect.any(Number), degraded: expect.any(Number), unhealthy: expect.any(Number), unknown: expect.any(Number) },
    });
    expect(o.activeApps).toBeGreaterThanOrEqual(5);
    const summary = o.appHealthSummary;
    expect(summary.healthy + summary.degraded + summary.unhealthy + summary.unknown).toBe(6);
    // Steady alone: (1 vCPU × 0.0405 + 1 GiB × 0.0045) × 730 h = 32.85; the others add 0.5 vCPU / 0.5 GiB each.
    expect(o.estimatedMonthlyCost).toBeGreaterThanOrEqual(32.85);
    expect(o.recentActivity.some((a: any) => a.type === 'deploy' && a.appName === 'Steady' && a.status === 'succeeded')).toBe(true);
    expect(o.recentActivity.some((a: any) => a.type === 'alert' && typeof a.message === 'string')).toBe(true);
  });
});
