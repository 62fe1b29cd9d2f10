// The Apps API (spec 002) end to end: a real Berth on port 0 spoken to over a real socket, with
// real builds. An Express app created and deployed from git in one call (its build command in
// place of the detected build), its build log, its logs followed live while it restarts under
// constant load (0 failed requests, no new revision), metrics, and a static site built from a
// tarball sent with the platform's own FormData (a real multipart client).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConstantLoad } from '../../bench/zero-downtime/constant-load.js';
import { fixturesDir } from '../build/support.js';
import { tarballOf } from '../build/tarballs.js';
import { startGitServer } from '../support/git-http-server.js';
import type { GitServer } from '../support/git-http-server.js';
import { startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';
import { edgeJson, edgeRequest, until } from './support/edge-client.js';

describe('the Apps API end to end', () => {
  let t: TestBerth;
  let git: GitServer;
  const api = (method: string, rest: string, body?: unknown) => t.request(method, `/api/v1/apps${rest}`, body === undefined ? {} : { body });
  const activeDeployment = (slug: string, id: string) =>
    until(async () => (await api('GET', `/${slug}/deployments`)).body as { id: string; status: string; error: string | null }[], (list) => ['active', 'failed', 'cancelled'].includes(list.find((d) => d.id === id)?.status ?? ''), 240_000, 500).then((list) => list.find((d) => d.id === id));

  beforeAll(async () => {
    git = await startGitServer();
    t = await startTestBerth('sqlite', { env: { BERTH_ALLOW_PRIVATE_NETWORKS: '1', BERTH_READY_TIMEOUT_MS: '30000' } });
  });
  afterAll(async () => {
    await t?.close();
    await git?.close();
  });

  it('creates and deploys an Express app from git in one call, with its own build command', async () => {
    const repo = git.createRepo('express', `${fixturesDir}express-app`);
    const res = await api('POST', '', { name: 'Express E2E', source_type: 'git', repo_url: repo.url, repo_branch: 'main', build_command: 'echo "from the build command" > message.txt', replicas: 2, env: { GREETING: 'hi' } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ slug: 'express-e2e', status: 'deploying', deployment: { status: 'queued' } });
    const done = await activeDeployment('express-e2e', res.body.deployment.id);
    expect(done?.status, done?.error ?? '').toBe('active');
    const answer = await edgeJson<{ message: string; greeting: string }>(t.berth.edgePort, 'express-e2e.localhost');
    expect(answer).toMatchObject({ message: 'from the build command', greeting: 'hi' });
    const log = (await api('GET', '/express-e2e/build-log')).body;
    expect(log.lines).toContain('[plan] build: echo "from the build command" > message.txt (the app\'s build command, in place of the detected build)');
    expect(log.lines.some((l: string) => l.startsWith('[plan] Detected a Node.js project'))).toBe(true);
    const app = (await api('GET', '/express-e2e')).body;
    expect(app).toMatchObject({ status: 'running', replicas: 2, last_deploy_at: expect.any(String), latest_deployment: { status: 'active', commit_sha: repo.head() } });
  }, 300_000);

  it('follows the logs live while a restart replaces every pod under constant load: 0 failed requests, no new revision', async () => {
    const before = (await api('GET', '/express-e2e/status')).body;
    expect(before.ready_replicas).toBe(2);
    const revisionsBefore = (await api('GET', '/express-e2e/deployments')).body.length;
    const controller = new AbortController();
    const stream = await fetch(`${t.url}/api/v1/apps/express-e2e/logs?follow=true&lines=10`, { headers: { authorization: `Bearer ${t.key}` }, signal: controller.signal });
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    let text = '';
    const reading = (async () => {
      const decoder = new TextDecoder();
      try {
        for await (const chunk of stream.body as unknown as AsyncIterable<Uint8Array>) text += decoder.decode(chunk);
      } catch {
        // aborted at the end of the test
      }
    })();
    const load = startConstantLoad({ port: t.berth.edgePort, host: 'express-e2e.localhost', ratePerSecond: 150 });
    await new Promise((r) => setTimeout(r, 500));
    const restart = await api('POST', '/express-e2e/restart');
    await new Promise((r) => setTimeout(r, 1000));
    await load.stop();
    expect(restart.status, JSON.stringify(restart.body)).toBe(200);
    expect(restart.body.restarted).toHaveLength(2);
    const failed = load.outcomes.filter((o) => o.status !== 200);
    expect(failed, JSON.stringify(failed.slice(0, 3))).toEqual([]);
    expect(load.outcomes.length).toBeGreaterThan(200);
    const after = (await api('GET', '/express-e2e/status')).body;
    expect(after.pods.map((p: { name: string }) => p.name).filter((n: string) => before.pods.some((p: { name: string }) => p.name === n))).toEqual([]);
    expect((await api('GET', '/express-e2e/deployments')).body.length).toBe(revisionsBefore);
    // The new pods' first lines came live, after the ones that were there.
    const replacements = restart.body.restarted.map((r: { replaced_by: string }) => r.replaced_by);
    await until(async () => text, (s) => replacements.every((pod: string) => s.includes(`"pod":"${pod}"`)), 15_000);
    for (const pod of replacements) expect(text).toContain(`"pod":"${pod}","revision":"express-e2e-00001","stream":"stdout","severity":"INFO","message":"listening"`);
    controller.abort();
    await reading;
  }, 180_000);

  it('metrics of each pod, and totals', async () => {
    const metrics = (await api('GET', '/express-e2e/metrics')).body;
    expect(metrics.pods).toHaveLength(2);
    expect(metrics.memory_mib).toBeGreaterThan(10);
    for (const pod of metrics.pods) expect(pod).toMatchObject({ serving: true, disk_bytes: expect.any(Number), network_rx_bytes: expect.any(Number), network_tx_bytes: expect.any(Number) });
    // Every request of the test so far reached the pods through their own network.
    for (const pod of metrics.pods) expect(pod.network_rx_bytes).toBeGreaterThan(0);
  });

  it('builds a static site from a tarball sent with FormData, and deploys it', async () => {
    const app = (await api('POST', '', { name: 'Tarball Site', template: 'static-site' })).body;
    const form = new FormData();
    form.append('tarball', new Blob([await tarballOf({ 'index.html': '<h1>from a form</h1>' })], { type: 'application/gzip' }), 'site.tar.gz');
    const res = await fetch(`${t.url}/api/v1/apps/${app.slug}/build`, { method: 'POST', headers: { authorization: `Bearer ${t.key}` }, body: form });
    const body = (await res.json()) as { deployment: { id: string } };
    expect(res.status, JSON.stringify(body)).toBe(202);
    const done = await activeDeployment(app.slug, body.deployment.id);
    expect(done?.status, done?.error ?? '').toBe('active');
    expect((await edgeRequest(t.berth.edgePort, `${app.slug}.localhost`, {})).body).toContain('from a form');
  }, 180_000);
});
