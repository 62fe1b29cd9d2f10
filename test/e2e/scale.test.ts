// Scaling through the API, observed through the edge and the runtime: up to 3 instances that
// share the requests, down to 1, to 0 (processes gone, the edge answers 503, pipeline-state says
// stopped) and back up again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';
import { createApp, deployDir, wsPath } from './support/berth-actions.js';
import { edgeJson, edgeRequest, tally, until } from './support/edge-client.js';
import { instanceApp } from './support/instance-app.js';
import { processAlive, recordedInstances } from './support/instance-records.js';

interface RuntimeStatus {
  phase: string;
  ready: number;
  total: number;
  stopping: number;
}

describe('scale an app through the API', () => {
  let t: TestBerth;
  let appId = '';
  let deploymentId = '';
  const host = 'scaled.localhost';
  const scale = (replicas: number) => t.request('POST', wsPath(t, '/deploy/scale'), { body: { appId, replicas } });
  const status = async () => (await t.request<RuntimeStatus>('GET', wsPath(t, `/deploy/${deploymentId}/runtime-status`))).body;
  const settled = (ready: number) => until(status, (s) => s.ready === ready && s.total === ready && s.stopping === 0, 30_000);

  beforeAll(async () => {
    t = await startTestBerth('sqlite');
    appId = await createApp(t, { name: 'Scaled', slug: 'scaled', visibility: 'public' });
    const result = await deployDir(t, appId, instanceApp('scaled', { listenAfterMs: 1_500 }), 'dir:scaled');
    expect(result.deployment.status).toBe('succeeded');
    deploymentId = result.deployment.id;
  });
  afterAll(async () => t?.close());

  it('scales up to 3 instances that all serve requests', async () => {
    const res = await scale(3);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ appId, name: 'Scaled', requestedReplicas: 3, currentReplicas: 1, status: 'scaling' });
    expect(await settled(3)).toMatchObject({ phase: 'Running', ready: 3, total: 3 });
    const counts = await tally(t.berth.edgePort, host, 60, 'instance');
    expect(counts.size).toBe(3);
    for (const n of counts.values()) expect(n).toBeGreaterThanOrEqual(10);
    expect(recordedInstances(t.dataDir, appId)).toHaveLength(3);
  });

  it('scales down to 1 instance', async () => {
    expect((await scale(1)).status).toBe(200);
    expect(await settled(1)).toMatchObject({ phase: 'Running', ready: 1, total: 1 });
    const counts = await tally(t.berth.edgePort, host, 20, 'instance');
    expect(counts.size).toBe(1);
    const records = await until(async () => recordedInstances(t.dataDir, appId), (r) => r.length === 1, 15_000);
    expect(records).toHaveLength(1);
  });

  it('scales to 0: the processes stop, the edge answers 503, pipeline-state says stopped', async () => {
    const pids = recordedInstances(t.dataDir, appId).map((r) => r.pid);
    expect((await scale(0)).status).toBe(200);
    expect(await settled(0)).toMatchObject({ ready: 0, total: 0 });
    const records = await until(async () => recordedInstances(t.dataDir, appId), (r) => r.length === 0, 15_000);
    expect(records).toEqual([]);
    expect(pids.filter(processAlive)).toEqual([]);
    const stopped = await edgeRequest(t.berth.edgePort, host);
    expect(stopped.status).toBe(503);
    // Not "try again in a moment": nothing starts until someone scales it up.
    expect(stopped.body).toContain('App stopped');
    const pipeline = await t.request('GET', wsPath(t, `/apps/${appId}/pipeline-state`));
    expect(pipeline.status).toBe(200);
    expect(pipeline.body.runtime).toMatchObject({ status: 'stopped', readyReplicas: 0, totalReplicas: 0 });
    expect(pipeline.body.overallStatus).toBe('stopped');
  });

  it('comes back when scaled up again', async () => {
    const res = await scale(2);
    expect(res.body).toMatchObject({ requestedReplicas: 2, currentReplicas: 0, status: 'scaling' });
    expect(await settled(2)).toMatchObject({ phase: 'Running', ready: 2, total: 2 });
    const answer = await until(() => edgeRequest(t.berth.edgePort, host), (r) => r.status === 200, 10_000);
    expect(answer.status).toBe(200);
    expect(await edgeJson(t.berth.edgePort, host)).toMatchObject({ revision: 'scaled-00001' });
    const pipeline = await t.request('GET', wsPath(t, `/apps/${appId}/pipeline-state`));
    expect(pipeline.body.runtime).toMatchObject({ status: 'healthy', readyReplicas: 2, totalReplicas: 2 });
    expect(pipeline.body.overallStatus).toBe('active');
  });
});
