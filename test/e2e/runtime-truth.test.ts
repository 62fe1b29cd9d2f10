// What a client reads about an app's instances (issue 9): replicas are the serving revisions'
// instances only (warm standbys counted apart) in pipeline-state, scale, health and metrics; an
// app scaled to zero is stopped, not failing; and runtime-status reports like Kubernetes: each
// condition with its own transition time, reasons, and a message that says why when False.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { artifactDir, helloApp } from '../support/app-fixtures.js';
import { startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';
import { scriptApp } from '../telemetry/support.js';
import { createApp, deployDir, wsPath } from './support/berth-actions.js';
import { edgeRequest, until } from './support/edge-client.js';
import { instanceApp } from './support/instance-app.js';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Condition {
  type: string;
  status: 'True' | 'False';
  reason: string | null;
  message: string | null;
  lastTransitionTime: string;
}

describe('what a client reads about instances', () => {
  let t: TestBerth;
  const get = async (rest: string) => (await t.request('GET', wsPath(t, rest))).body;
  const runtimeStatus = (deploymentId: string) => get(`/deploy/${deploymentId}/runtime-status`);
  const condition = (status: { conditions: Condition[] }, type: string) => status.conditions.find((c) => c.type === type);

  beforeAll(async () => {
    t = await startTestBerth('sqlite', {
      env: {
        // Room for a Node app to start on a loaded machine (two test files at a time on 2 cores):
        // the failing-readiness case must meet an app that answers 503, not one still starting.
        BERTH_READY_TIMEOUT_MS: '8000',
        BERTH_METRICS_INTERVAL_MS: '300',
        BERTH_HEALTH_INTERVAL_MS: '300',
        BERTH_ALERT_WINDOW_MS: '10000',
        BERTH_ALERT_MIN_REQUESTS: '20',
        BERTH_DRAIN_TIMEOUT_MS: '1000',
      },
    });
  });
  afterAll(async () => t?.close());

  it('counts replicas, not warm standbys, in pipeline-state, scale, health and metrics', async () => {
    const appId = await createApp(t, { name: 'Counted', slug: 'counted', visibility: 'public' });
    expect((await deployDir(t, appId, instanceApp('one'), 'dir:counted-1')).deployment.status).toBe('succeeded');
    expect((await deployDir(t, appId, instanceApp('two', { listenAfterMs: 1_500 }), 'dir:counted-2')).deployment.status).toBe('succeeded');
    // counted-00001 stays warm (one instance) for instant rollback: not a replica. The new replicas
    // listen 1.5 s after they start, so the answer sees one ready replica however fast the machine is.
    const scaled = await t.request('POST', wsPath(t, '/deploy/scale'), { body: { appId, replicas: 3 } });
    expect(scaled.body).toMatchObject({ requestedReplicas: 3, currentReplicas: 1, warmInstances: 1, status: 'scaling' });

    const pipeline = await until(() => get(`/apps/${appId}/pipeline-state`), (p) => p.runtime.readyReplicas === 3, 20_000);
    expect(pipeline.runtime).toMatchObject({ status: 'healthy', readyReplicas: 3, totalReplicas: 3, desiredReplicas: 3, warmInstances: 1 });
    const again = await t.request('POST', wsPath(t, '/deploy/scale'), { body: { appId, replicas: 3 } });
    expect(again.body).toMatchObject({ currentReplicas: 3, warmInstances: 1, status: 'stable' });

    const health = await until(() => get(`/monitoring/apps/${appId}/health`), (h) => h.instanceCount === 3 && h.status === 'healthy', 20_000);
    expect(health).toMatchObject({ status: 'healthy', instanceCount: 3, warmInstances: 1 });
    const metrics = await until(() => get(`/monitoring/apps/${appId}/metrics?period=1h`), (m) => m.instanceCount.current === 3, 20_000);
    expect(metrics.instanceCount.current).toBe(3);

    // Down to one: the stopping replicas no longer count, and health sees one running replica.
    // Scaling until the two told to stop have exited (they drain first), then stable.
    const down = await t.request('POST', wsPath(t, '/deploy/scale'), { body: { appId, replicas: 1 } });
    expect(down.body).toMatchObject({ currentReplicas: 1 });
    expect(down.body.status).toBe(down.body.stoppingInstances > 0 ? 'scaling' : 'stable');
    const stable = await until(async () => (await t.request('POST', wsPath(t, '/deploy/scale'), { body: { appId, replicas: 1 } })).body, (s: any) => s.status === 'stable', 20_000);
    expect(stable).toMatchObject({ currentReplicas: 1, stoppingInstances: 0, status: 'stable' });
    const after = await until(() => get(`/monitoring/apps/${appId}/health`), (h) => h.instanceCount === 1, 20_000);
    expect(after).toMatchObject({ status: 'healthy', instanceCount: 1, warmInstances: 1 });
  });

  it('does not count the edge’s own 503s for a stopped app as its errors', async () => {
    const app = await createApp(t, { name: 'Paused', slug: 'paused', visibility: 'public' });
    expect((await deployDir(t, app, instanceApp('paused'), 'dir:paused')).deployment.status).toBe('succeeded');
    const stopped = await until(async () => (await t.request('POST', wsPath(t, '/deploy/scale'), { body: { appId: app, replicas: 0 } })).body, (s: any) => s.status === 'stable', 20_000);
    expect(stopped).toMatchObject({ currentReplicas: 0, stoppingInstances: 0 });
    await until(() => edgeRequest(t.berth.edgePort, 'paused.localhost'), (r) => r.status === 503, 10_000);
    for (let i = 0; i < 25; i++) expect((await edgeRequest(t.berth.edgePort, 'paused.localhost')).status).toBe(503);
    await pause(1_500); // several samples, alert rounds and health checks
    const alerts = await get(`/monitoring/alerts?appId=${app}`);
    expect(alerts.alerts ?? alerts).toEqual([]);
    expect(await get(`/monitoring/apps/${app}/health`)).toMatchObject({ status: 'unknown', errorRate: 0, instanceCount: 0 });
    const metrics = await get(`/monitoring/apps/${app}/metrics?period=1h`);
    expect(Math.max(...(metrics.errorRate.values as number[]))).toBe(0);
    // The app's series are its workspace's: scraped with the workspace key (strangers see none).
    const exposition = await (await fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${t.key}` } })).text();
    expect(exposition).toMatch(new RegExp(`berth_edge_unserved_requests_total\\{app_id="${app}"[^}]*\\} (2[6-9]|[3-9]\\d)`));
    expect(exposition).not.toMatch(new RegExp(`berth_app_request_errors_total\\{app_id="${app}"[^}]*\\} [1-9]`));
  });

  it('reports conditions with their own transition times, and a message for every False one', async () => {
    const appId = await createApp(t, { name: 'Conditions', slug: 'conditions', visibility: 'public' });
    const deployed = await deployDir(t, appId, instanceApp('c'), 'dir:conditions');
    const first = await runtimeStatus(deployed.deployment.id);
    expect(first.phase).toBe('Running');
    expect(condition(first, 'Progressing')).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable' });
    expect(condition(first, 'Available')).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable' });
    for (const c of first.conditions as Condition[]) {
      expect(Date.parse(c.lastTransitionTime)).toBeGreaterThanOrEqual(Date.parse(deployed.deployment.createdAt.toISOString()) - 1000);
    }
    await pause(1_100);
    const steady = await runtimeStatus(deployed.deployment.id);
    expect(steady.conditions).toEqual(first.conditions); // nothing flipped: nothing moved

    await t.request('POST', wsPath(t, '/deploy/scale'), { body: { appId, replicas: 2 } });
    const scaling = await runtimeStatus(deployed.deployment.id);
    expect(condition(scaling, 'Progressing')).toMatchObject({ status: 'True', reason: 'ReplicaSetUpdated' });
    expect(condition(scaling, 'Available')).toMatchObject({ status: 'False', reason: 'MinimumReplicasUnavailable', message: expect.stringContaining('1 of 2 instances ready') });
    const scaled = await until(() => runtimeStatus(deployed.deployment.id), (s) => s.ready === 2, 20_000);
    // Progressing stayed True throughout: its time did not move. Available flipped twice: it did.
    expect(condition(scaled, 'Progressing')?.lastTransitionTime).toBe(condition(first, 'Progressing')?.lastTransitionTime);
    expect(condition(scaled, 'Progressing')?.reason).toBe('NewReplicaSetAvailable');
    expect(Date.parse(condition(scaled, 'Available')?.lastTransitionTime ?? '')).toBeGreaterThan(Date.parse(condition(first, 'Available')?.lastTransitionTime ?? ''));
    expect(scaled.restarts).toBe(0);
  });

  it('says why an instance failed: its exit code with its last stderr line, or the port nothing answered on', async () => {
    const appId = await createApp(t, { name: 'Why', slug: 'why', visibility: 'public' });
    const crash = artifactDir();
    fs.writeFileSync(path.join(crash, 'server.js'), "console.log('starting');\nconsole.error('boom: DATABASE_URL is not set');\nprocess.exit(3);\n");
    const crashed = await deployDir(t, appId, crash, 'dir:why-crash');
    expect(crashed.deployment.status).toBe('failed');
    expect(crashed.deployment.error).toContain('exited with code 3: boom: DATABASE_URL is not set');
    const crashStatus = await runtimeStatus(crashed.deployment.id);
    expect(crashStatus).toMatchObject({ phase: 'Failed', restarts: 0 });
    for (const c of crashStatus.conditions as Condition[]) if (c.status === 'False') expect(c.message, c.type).toBeTruthy();
    expect(condition(crashStatus, 'Progressing')).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded', message: expect.stringContaining('exited with code 3: boom: DATABASE_URL is not set') });

    const silent = await deployDir(t, appId, helloApp('never', { failReady: true }), 'dir:why-silent');
    expect(silent.deployment.error).toMatch(/no answer on \$PORT \d+ after 8 s \(GET \/ answered 503; ready means an answer below 500\)/);
    const silentStatus = await runtimeStatus(silent.deployment.id);
    expect(silentStatus.phase).toBe('Failed');
    expect(condition(silentStatus, 'Progressing')?.message).toMatch(/no answer on \$PORT \d+ after 8 s/);
  });

  it('says an instance was OOMKilled at its memory limit', async () => {
    if (!t.berth.runtime.isolation.cgroups) return; // needs cgroups (root): CI has them
    const appId = await createApp(t, { name: 'Hungry', slug: 'hungry', visibility: 'public', memoryLimitMi: 64 });
    const hog = scriptApp('const keep = []; setInterval(() => keep.push(Buffer.alloc(8 * 1024 * 1024, 1)), 20);');
    const result = await deployDir(t, appId, hog, 'dir:hungry');
    const status = await until(() => runtimeStatus(result.deployment.id), (s) => s.conditions.some((c: Condition) => c.type === 'OOMKilled'), 20_000);
    expect(condition(status, 'OOMKilled')).toMatchObject({ status: 'True', message: expect.stringContaining('OOMKilled at 64 MiB') });
  });

  it('says Failed with the build error for a deployment that never had a revision', async () => {
    const appId = await createApp(t, { name: 'No build', slug: 'no-build', visibility: 'public' });
    const { apiClient, uploadSource } = await import('./support/api-client.js');
    const uploadId = await uploadSource(apiClient(t.url, t.key), t.workspaceId, appId, { 'notes.txt': 'nothing to build here' });
    const triggered = await t.request('POST', wsPath(t, '/deploy'), { body: { appId, source: { type: 'UPLOAD', uploadId } } });
    const done = await until(() => get(`/deploy/${triggered.body.id}`), (d) => d.status === 'failed', 30_000);
    const status = await runtimeStatus(done.id);
    expect(status).toMatchObject({ phase: 'Failed', revisionName: null, ready: 0, total: 0 });
    expect(condition(status, 'Progressing')).toMatchObject({ status: 'False', reason: 'BuildFailed', message: done.error });
  });
});
