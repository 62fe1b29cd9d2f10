// An app's health answer is true when asked, not as of the last periodic check: with checks an
// hour apart, the answer still follows the app from unknown to healthy, to unhealthy once most of
// its requests fail, and back to healthy once those leave the window; lastCheckedAt says when.
// The overview's health counts and /metrics' berth_app_health are computed the same way, so they
// agree with the apps' answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';
import { createApp, deploy, scriptApp, viaEdge, waitFor, ws } from './support.js';

describe('health, computed when asked', () => {
  let t: TestBerth;

  beforeAll(async () => {
    t = await startTestBerth('sqlite', {
      via: 'inject',
      env: {
        BERTH_METRICS_INTERVAL_MS: '300',
        // The periodic check runs once, after the first sample, then not for an hour.
        BERTH_HEALTH_INTERVAL_MS: '3600000',
        BERTH_ALERT_WINDOW_MS: '4000',
      },
    });
  });
  afterAll(async () => t?.close());

  it('follows the app as it fails and recovers, between two periodic checks', { timeout: 90_000 }, async () => {
    const app = await createApp(t, { name: 'Asked', slug: 'asked' });
    const health = async () => (await t.request('GET', ws(t, `/monitoring/apps/${app.id}/health`))).body;
    expect((await deploy(t, app.id, scriptApp(''))).deployment.status).toBe('succeeded');

    const healthy = await waitFor('healthy', async () => ((await health()).status === 'healthy' ? health() : undefined), 20_000);
    expect(healthy).toMatchObject({ instanceCount: 1, lastDeployedAt: expect.any(String) });

    const before = Date.now();
    for (let i = 0; i < 20; i++) expect((await viaEdge(t, app.slug, '/fail')).status).toBe(500);
    const failing = await waitFor('unhealthy', async () => {
      const body = await health();
      return body.status === 'unhealthy' ? body : undefined;
    });
    expect(failing.errorRate).toBeGreaterThanOrEqual(50);
    expect(Date.parse(failing.lastCheckedAt)).toBeGreaterThanOrEqual(before);

    // The failed requests leave the 4 s window: healthy again, still without a periodic check. Once
    // fewer than 10 of them are left the status is healthy already (too few to judge) while their
    // error rate still reads 100, so wait until the last one has left.
    const recovered = await waitFor('the failed requests to leave the window', async () => {
      const body = await health();
      return body.requestCount === 0 ? body : undefined;
    });
    expect(recovered).toMatchObject({ status: 'healthy', errorRate: 0 });
  });

  it('counts the apps by health in the overview as their answers say, between two periodic checks', { timeout: 90_000 }, async () => {
    const app = await createApp(t, { name: 'Counted', slug: 'counted' });
    const health = async () => (await t.request('GET', ws(t, `/monitoring/apps/${app.id}/health`))).body;
    const counts = async () => (await t.request('GET', ws(t, '/monitoring/overview'))).body.appHealthSummary;
    expect((await deploy(t, app.id, scriptApp(''))).deployment.status).toBe('succeeded');
    await waitFor('healthy', async () => (await health()).status === 'healthy', 20_000);
    const statuses = async () => {
      const apps = (await t.request('GET', ws(t, '/apps?limit=100'))).body.data as { id: string }[];
      return Promise.all(apps.map(async (a) => (await t.request('GET', ws(t, `/monitoring/apps/${a.id}/health`))).body.status as string));
    };
    const tallied = (list: string[]) => ({ healthy: 0, degraded: 0, unhealthy: 0, unknown: 0, ...Object.fromEntries(['healthy', 'degraded', 'unhealthy', 'unknown'].map((s) => [s, list.filter((x) => x === s).length])) });
    const before = await counts();
    expect(before).toEqual(tallied(await statuses()));
    expect(before.healthy).toBeGreaterThanOrEqual(1);

    for (let i = 0; i < 20; i++) expect((await viaEdge(t, app.slug, '/fail')).status).toBe(500);
    await waitFor('unhealthy', async () => (await health()).status === 'unhealthy');
    const after = await counts();
    expect(after).toEqual(tallied(await statuses()));
    expect(after.unhealthy).toBe(before.unhealthy + 1);
    expect(after.healthy).toBe(before.healthy - 1);
  });

  it('shows on /metrics the health the API answers, right after it changes', { timeout: 90_000 }, async () => {
    const app = await createApp(t, { name: 'Scraped', slug: 'scraped' });
    const health = async () => (await t.request('GET', ws(t, `/monitoring/apps/${app.id}/health`))).body.status as string;
    const scraped = async () => {
      const text = (await t.request('GET', '/metrics')).body as string;
      const found = [...text.matchAll(/^berth_app_health\{([^}]*)\} 1$/gm)].map((m) => m[1] ?? '').find((labels) => labels.includes(`app_id="${app.id}"`));
      return /status="([a-z]+)"/.exec(found ?? '')?.[1] ?? null;
    };
    expect((await deploy(t, app.id, scriptApp(''))).deployment.status).toBe('succeeded');
    await waitFor('healthy', async () => (await health()) === 'healthy', 20_000);
    expect(await scraped()).toBe('healthy');

    for (let i = 0; i < 20; i++) expect((await viaEdge(t, app.slug, '/fail')).status).toBe(500);
    await waitFor('unhealthy', async () => (await health()) === 'unhealthy');
    expect(await scraped()).toBe('unhealthy');
  });
});
