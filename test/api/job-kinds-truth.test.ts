// A worker and a cron app read through every dialect, in process with real child processes: the
// Dooor `url` and the REST `publicAccess` claim nothing routes to them, a worker's runtime status
// says what runs (never what traffic it holds), and a cron app's run in progress is listed as its pod.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactDir } from '../support/app-fixtures.js';
import { startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';
import { until } from '../e2e/support/edge-client.js';

interface Condition {
  type: string;
  status: string;
  reason: string;
  message: string | null;
}

describe('what Berth says of workers and cron apps, on every dialect', { timeout: 120_000 }, () => {
  let t: TestBerth;
  const apps: Record<'web' | 'worker' | 'cron', { id: string; deploymentId: string }> = { web: { id: '', deploymentId: '' }, worker: { id: '', deploymentId: '' }, cron: { id: '', deploymentId: '' } };
  const ws = (p: string) => `/api/v1/workspaces/${t.workspaceId}${p}`;

  async function deployed(slug: string, fields: Record<string, unknown>, source: string): Promise<{ id: string; deploymentId: string }> {
    const made = await t.request('POST', ws('/apps'), { body: { name: slug, slug, visibility: 'public', ...fields } });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const dir = artifactDir();
    fs.writeFileSync(path.join(dir, 'main.js'), source);
    const result = await t.berth.core.deployArtifact({ appId: made.body.id, artifactDir: dir, command: ['/usr/bin/node', 'main.js'], imageRef: `dir:${slug}`, triggerType: 'MANUAL' });
    expect(result.deployment.status, result.deployment.error ?? '').toBe('succeeded');
    return { id: made.body.id, deploymentId: result.deployment.id };
  }

  beforeAll(async () => {
    t = await startTestBerth('sqlite', { via: 'inject' });
    apps.web = await deployed('site', { type: 'web' }, 'require("node:http").createServer((q, s) => s.end("ok")).listen(Number(process.env.PORT));');
    apps.worker = await deployed('queue', { type: 'worker' }, 'setInterval(() => console.log("working"), 200);');
    // Every second, and each run lasts a minute: a run is in progress from the first tick on.
    apps.cron = await deployed('ticker', { type: 'cron', schedule: '* * * * * *' }, 'console.log("run"); setTimeout(() => {}, 60_000);');
  });
  afterAll(async () => t?.close());

  it('Dooor: a worker or cron app has no url, in the list and the single read; a web app keeps its own', async () => {
    const listed = (await t.request<{ data: { id: string; url: string | null }[] }>('GET', ws('/apps'))).body.data;
    const urlOf = (id: string) => listed.find((a) => a.id === id)?.url;
    expect(urlOf(apps.web.id)).toMatch(/^http:\/\/site\./);
    expect(urlOf(apps.worker.id)).toBeNull();
    expect(urlOf(apps.cron.id)).toBeNull();
    for (const { id } of [apps.worker, apps.cron]) {
      const detail = await t.request('GET', ws(`/apps/${id}`));
      expect(detail.status).toBe(200);
      expect(detail.body.url).toBeNull();
    }
  });

  it('REST: a public worker or cron app has publicAccess false (nothing routes to it), and the public_access filter agrees', async () => {
    const accessOf = async (id: string) => (await t.request('GET', `/api/apps/${id}`)).body.publicAccess;
    expect(await accessOf(apps.web.id)).toBe(true);
    expect(await accessOf(apps.worker.id)).toBe(false);
    expect(await accessOf(apps.cron.id)).toBe(false);
    const handles = async (query: string) => ((await t.request('GET', `/api/apps?${query}`)).body.data as { handle: string }[]).map((a) => a.handle).sort();
    expect(await handles('public_access=true')).toEqual(['site']);
    expect(await handles('public_access=false')).toEqual(['queue', 'ticker']);
    expect(await handles(`filter=${encodeURIComponent(JSON.stringify({ publicAccess: true }))}`)).toEqual(['site']);
    expect(await handles(`filter=${encodeURIComponent(JSON.stringify({ publicAccess: { not: true } }))}`)).toEqual(['queue', 'ticker']);
  });

  it("Dooor: a worker's runtime status says it runs its instances and has no HTTP port, never what traffic it holds", async () => {
    const status = await until(
      async () => (await t.request('GET', ws(`/deploy/${apps.worker.deploymentId}/runtime-status`))).body as { phase: string; conditions: Condition[] },
      (s) => s.phase === 'Running',
      20_000,
    );
    const words = JSON.stringify(status.conditions);
    expect(words).not.toMatch(/traffic/i);
    expect(status.conditions.find((c) => c.type === 'Available')?.message).toBe('running, 1 of 1 instances ready; a worker has no HTTP port');
    const scaled = await t.request('POST', ws('/deploy/scale'), { body: { appId: apps.worker.id, replicas: 0 } });
    expect(scaled.status).toBe(200);
    const stopped = await until(
      async () => (await t.request('GET', ws(`/deploy/${apps.worker.deploymentId}/runtime-status`))).body as { phase: string; conditions: Condition[] },
      (s) => s.phase === 'Stopped',
      20_000,
    );
    expect(JSON.stringify(stopped.conditions)).not.toMatch(/traffic/i);
    expect(stopped.conditions.find((c) => c.type === 'Available')?.message).toBe('no instance runs: the worker is scaled to zero (a worker has no HTTP port)');
  });

  it("Apps API: a cron app's run in progress is listed in its status, as any running instance", async () => {
    const status = await until(
      async () => (await t.request('GET', `/api/v1/apps/${apps.cron.id}/status`)).body as { pods: { name: string; phase: string; ready: boolean }[] },
      (s) => s.pods.length > 0,
      20_000,
    );
    expect(status.pods).toEqual([{ name: expect.stringMatching(/^ticker-00001-run-[0-9a-f]{6}$/), phase: 'Running', ready: true }]);
    const pods = (await t.request('GET', `/api/v1/apps/${apps.cron.id}/pods`)).body as { name: string; revision: string; serving: boolean }[];
    expect(pods).toEqual([expect.objectContaining({ name: status.pods[0]?.name, revision: 'ticker-00001', serving: true })]);
  });
});
