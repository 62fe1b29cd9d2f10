// Draining, end to end: instances that are stopped (scale down, or the demoted revision of a
// rollout) leave the route table first, finish the requests they were already serving, and only
// then get SIGTERM.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';
import { createApp, deployDir, wsPath } from './support/berth-actions.js';
import { edgeRequest, until } from './support/edge-client.js';
import type { EdgeResponse } from './support/edge-client.js';
import { instanceApp } from './support/instance-app.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('in-flight requests survive the instances being stopped', () => {
  let t: TestBerth;
  let appId = '';
  const host = 'drainy.localhost';
  const slowRequests = (n: number) =>
    Array.from({ length: n }, () => edgeRequest(t.berth.edgePort, host, { path: '/slow?ms=4000' }).catch((error: Error) => error));
  const readyInstances = () =>
    until(
      async () => (await t.request('GET', wsPath(t, `/apps/${appId}/pipeline-state`))).body.runtime,
      (r: any) => r.readyReplicas === r.totalReplicas,
      30_000,
    );

  beforeAll(async () => {
    t = await startTestBerth('sqlite');
    appId = await createApp(t, { name: 'Drainy', slug: 'drainy', visibility: 'public' });
    expect((await deployDir(t, appId, instanceApp('v1'), 'dir:v1')).deployment.status).toBe('succeeded');
  });
  afterAll(async () => t?.close());

  const expectAllServed = (answers: (EdgeResponse | Error)[]) => {
    const statuses = answers.map((a) => (a instanceof Error ? a.message : a.status));
    expect(statuses).toEqual(answers.map(() => 200));
    return answers.map((a) => JSON.parse((a as EdgeResponse).body) as { instance: string; revision: string; terminating: boolean });
  };

  it('finishes requests on instances removed by a scale down', async () => {
    expect((await t.request('POST', wsPath(t, '/deploy/scale'), { body: { appId, replicas: 3 } })).status).toBe(200);
    expect(await readyInstances()).toMatchObject({ readyReplicas: 3, totalReplicas: 3 });
    const inFlight = slowRequests(9);
    await sleep(800);
    expect((await t.request('POST', wsPath(t, '/deploy/scale'), { body: { appId, replicas: 1 } })).status).toBe(200);
    const served = expectAllServed(await Promise.all(inFlight));
    expect(new Set(served.map((s) => s.instance)).size).toBe(3);
    // The edge held the SIGTERM until they had answered, so even apps that exit at once lose nothing.
    expect(served.filter((s) => s.terminating)).toEqual([]);
    expect(await readyInstances()).toMatchObject({ readyReplicas: 1, totalReplicas: 1 });
  });

  it('finishes requests on the old revision during a rollout', async () => {
    expect((await t.request('POST', wsPath(t, '/deploy/scale'), { body: { appId, replicas: 2 } })).status).toBe(200);
    expect(await readyInstances()).toMatchObject({ readyReplicas: 2, totalReplicas: 2 });
    const inFlight = slowRequests(6);
    await sleep(800);
    const rollout = await deployDir(t, appId, instanceApp('v2'), 'dir:v2');
    expect(rollout.deployment.status).toBe('succeeded');
    const served = expectAllServed(await Promise.all(inFlight));
    expect(new Set(served.map((s) => s.revision))).toEqual(new Set(['drainy-00001']));
    expect(new Set(served.map((s) => s.instance)).size).toBe(2);
    expect(served.filter((s) => s.terminating)).toEqual([]);
    const after = await edgeRequest(t.berth.edgePort, host);
    expect(JSON.parse(after.body)).toMatchObject({ revision: 'drainy-00002' });
  });
});
