// An app that ignores SIGTERM, in process: told to stop, its process runs on until the drain
// timeout kills it. Until then every status surface says it is stopping (runtime status, the
// pipeline's runtime stage, the Apps API's pods), not Stopped with nothing running; a delete
// answers once its processes are gone, and its name can be taken again meanwhile.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';
import { until } from '../e2e/support/edge-client.js';
import { instanceApp, nodeCommand } from '../e2e/support/instance-app.js';

describe('an app whose instances take a while to stop', () => {
  let t: TestBerth;
  beforeAll(async () => {
    t = await startTestBerth('sqlite', { via: 'inject', env: { BERTH_DRAIN_TIMEOUT_MS: '4000' } });
  });
  afterAll(async () => t?.close());

  const ws = (rest: string) => `/api/v1/workspaces/${t.workspaceId}${rest}`;

  async function stubborn(slug: string) {
    const app = (await t.request('POST', ws('/apps'), { body: { name: slug, slug } })).body;
    expect(app.id, JSON.stringify(app)).toEqual(expect.any(String));
    const dir = instanceApp(slug, { ignoreSigterm: true });
    const result = await t.berth.core.deployArtifact({ appId: app.id, artifactDir: dir, command: nodeCommand, imageRef: `dir:${slug}`, triggerType: 'MANUAL' });
    expect(result.deployment.status, result.deployment.error ?? '').toBe('succeeded');
    return { app: app as { id: string; slug: string }, deploymentId: result.deployment.id };
  }

  const running = async (appId: string) => (await t.berth.runtime.list()).filter((i) => i.appId === appId && i.phase !== 'exited');

  it('says Stopping, with the instance still stopping, on every status surface until its process is gone', { timeout: 60_000 }, async () => {
    const { app, deploymentId } = await stubborn('lingers');
    const runtime = async () => (await t.request('GET', ws(`/deploy/${deploymentId}/runtime-status`))).body;
    const pipeline = async () => (await t.request('GET', ws(`/apps/${app.id}/pipeline-state`))).body.runtime;
    const v1 = async () => (await t.request('GET', `/api/v1/apps/${app.id}/status`)).body;

    expect((await t.request('POST', ws('/deploy/scale'), { body: { appId: app.id, replicas: 0 } })).body).toMatchObject({ stoppingInstances: 1, status: 'scaling' });
    expect(await running(app.id)).toHaveLength(1);
    const stopping = await runtime();
    expect(stopping).toMatchObject({ phase: 'Stopping', ready: 0, total: 0, stopping: 1 });
    expect(stopping.conditions.find((c: { type: string }) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'InstancesStopping' });
    expect(await pipeline()).toMatchObject({ status: 'stopping', stoppingInstances: 1, readyReplicas: 0 });
    const status = await v1();
    expect(status).toMatchObject({ ready_replicas: 0 });
    expect(status.pods).toEqual([{ name: expect.stringMatching(/^lingers-00001-/), phase: 'Terminating', ready: false }]);

    const stopped = await until(runtime, (r) => r.phase === 'Stopped', 20_000, 250);
    expect(stopped).toMatchObject({ ready: 0, total: 0, stopping: 0 });
    expect(await running(app.id)).toHaveLength(0);
    expect(await pipeline()).toMatchObject({ status: 'stopped', stoppingInstances: 0 });
    expect((await v1()).pods).toEqual([]);
  });

  it('answers a delete once its processes are gone, and lets its name be taken again meanwhile', { timeout: 90_000 }, async () => {
    const { app } = await stubborn('reborn');
    expect(await running(app.id)).toHaveLength(1);
    let answered = false;
    const deleted = t.request('DELETE', ws(`/apps/${app.id}`)).then((r) => {
      answered = true;
      return r;
    });
    // While the old process still runs (it ignores SIGTERM until the drain timeout), the name is free.
    const again = await until(
      async () => t.request('POST', ws('/apps'), { body: { name: 'reborn', slug: 'reborn' } }),
      (r) => r.status === 201,
      10_000,
      100,
    );
    expect(answered).toBe(false);
    const dir = instanceApp('reborn again');
    const result = await t.berth.core.deployArtifact({ appId: again.body.id, artifactDir: dir, command: nodeCommand, imageRef: 'dir:reborn-again', triggerType: 'MANUAL' });
    expect(result.deployment.status, result.deployment.error ?? '').toBe('succeeded');

    expect((await deleted).status).toBe(204);
    // Nothing of the deleted app runs once the delete has answered.
    expect(await running(app.id)).toHaveLength(0);
    expect(await running(again.body.id)).toHaveLength(1);
    expect((await t.request('GET', ws(`/apps/${again.body.id}`))).body).toMatchObject({ slug: 'reborn' });
  });
});
