// A worker and a cron app (made through the Dooor API, the one that knows app types) read through
// the Apps API (spec 002) and the REST dialect (spec 003), in process with real child processes:
// no URL where nothing answers HTTP, no "receives traffic" for an instance that takes none, and a
// cron app that between its runs wants no instance rather than missing one.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactDir } from '../support/app-fixtures.js';
import { startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';
import { until } from '../e2e/support/edge-client.js';

describe('workers and cron apps through the Apps API and the REST dialect', { timeout: 120_000 }, () => {
  let t: TestBerth;
  const apps: Record<'web' | 'worker' | 'cron', string> = { web: '', worker: '', cron: '' };

  async function deployed(slug: string, fields: Record<string, unknown>, source: string): Promise<string> {
    const made = await t.request('POST', `/api/v1/workspaces/${t.workspaceId}/apps`, { body: { name: slug, slug, ...fields } });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const dir = artifactDir();
    fs.writeFileSync(path.join(dir, 'main.js'), source);
    const result = await t.berth.core.deployArtifact({ appId: made.body.id, artifactDir: dir, command: ['/usr/bin/node', 'main.js'], imageRef: `dir:${slug}`, triggerType: 'MANUAL' });
    expect(result.deployment.status, result.deployment.error ?? '').toBe('succeeded');
    return made.body.id;
  }

  beforeAll(async () => {
    t = await startTestBerth('sqlite', { via: 'inject' });
    apps.web = await deployed('site', { type: 'web' }, 'require("node:http").createServer((q, s) => s.end("ok")).listen(Number(process.env.PORT));');
    apps.worker = await deployed('queue', { type: 'worker' }, 'setInterval(() => console.log("working"), 200);');
    apps.cron = await deployed('nightly', { type: 'cron', schedule: '0 3 * * *' }, 'console.log("ran");');
  });
  afterAll(async () => t?.close());

  it('Apps API: a worker or cron app has no url (the edge only answers that it is not a web app); a web app keeps its own', async () => {
    const listed = (await t.request<{ id: string; url: string | null }[]>('GET', '/api/v1/apps')).body;
    const urlOf = (id: string) => listed.find((a) => a.id === id)?.url;
    expect(urlOf(apps.web)).toMatch(/^http:\/\/site\./);
    expect(urlOf(apps.worker)).toBeNull();
    expect(urlOf(apps.cron)).toBeNull();
    for (const id of [apps.worker, apps.cron]) {
      const detail = await t.request('GET', `/api/v1/apps/${id}`);
      expect(detail.status).toBe(200);
      expect(detail.body.url).toBeNull();
    }
  });

  it("Apps API: a worker's instance is said to be ready without receiving traffic", async () => {
    const ready = await until(
      async () => ((await t.request('GET', `/api/v1/apps/${apps.worker}/events`)).body as { reason: string; message: string }[]).filter((e) => e.reason === 'Ready'),
      (events) => events.length > 0,
      20_000,
    );
    expect(ready[0]?.message).toMatch(/^queue-00001-\w+ of queue-00001 kept running through its start-up wait, so it counts as ready \(a worker takes no HTTP traffic\)$/);
    const web = (await t.request('GET', `/api/v1/apps/${apps.web}/events`)).body as { reason: string; message: string }[];
    expect(web.find((e) => e.reason === 'Ready')?.message).toMatch(/^Readiness probe passed: site-00001-\w+ of site-00001 receives traffic when its revision does$/);
  });

  it('Apps API: a deployed cron app between runs wants no replica, so none is missing', async () => {
    const status = await t.request('GET', `/api/v1/apps/${apps.cron}/status`);
    expect(status.status).toBe(200);
    expect(status.body).toEqual({ app_id: apps.cron, status: 'running', desired_replicas: 0, ready_replicas: 0, pods: [] });
    const worker = await until(async () => (await t.request('GET', `/api/v1/apps/${apps.worker}/status`)).body, (s) => s.ready_replicas === 1, 20_000);
    expect(worker).toMatchObject({ desired_replicas: 1, ready_replicas: 1 });
  });

  it("REST: a worker's or cron app's completed deploy has no productionUrl; a web app's has its URL", async () => {
    const productionUrls = async (id: string) =>
      ((await t.request('GET', `/api/apps/${id}/deploys`)).body.data as { status: string; productionUrl: string | null }[]).map((d) => [d.status, d.productionUrl]);
    expect(await productionUrls(apps.worker)).toEqual([['completed', null]]);
    expect(await productionUrls(apps.cron)).toEqual([['completed', null]]);
    expect(await productionUrls(apps.web)).toEqual([['completed', expect.stringMatching(/^http:\/\/site\./)]]);
  });
  it('Dooor: scaling a cron app to 1 is stable at once, since it wants no instance until a run', async () => {
    const scaled = await t.request('POST', `/api/v1/workspaces/${t.workspaceId}/deploy/scale`, { body: { appId: apps.cron, replicas: 1 } });
    expect(scaled.status).toBe(200);
    expect(scaled.body).toMatchObject({ requestedReplicas: 1, currentReplicas: 0, status: 'stable' });
  });
});
