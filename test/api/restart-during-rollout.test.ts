// A restart asked while a rollout is in flight, in process: the revision being replaced is not
// restarted (wasted work, and it would take capacity from what serves); the restart waits for the
// rollout and applies to what serves then (an instance the rollout started after it was asked is
// fresh already).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';
import { until } from '../e2e/support/edge-client.js';
import { instanceApp, nodeCommand } from '../e2e/support/instance-app.js';

describe('restart during a rollout', () => {
  let t: TestBerth;
  beforeAll(async () => {
    t = await startTestBerth('sqlite', { via: 'inject' });
  });
  afterAll(async () => t?.close());

  it('restarts what serves once the rollout ends, not the revision it replaces', { timeout: 90_000 }, async () => {
    const app = (await t.request('POST', `/api/v1/workspaces/${t.workspaceId}/apps`, { body: { name: 'Rolling', slug: 'rolling' } })).body;
    const deploy = (text: string, listenAfterMs: number) =>
      t.berth.core.deployArtifact({ appId: app.id, artifactDir: instanceApp(text, { listenAfterMs }), command: nodeCommand, imageRef: `dir:${text}`, triggerType: 'MANUAL' });
    expect((await deploy('first', 0)).deployment.status).toBe('succeeded');
    const pods = async () => (await t.request('GET', `/api/v1/apps/${app.id}/pods`)).body as { name: string; revision: string; phase: string }[];
    const [old] = await pods();
    expect(old?.revision).toBe('rolling-00001');

    // The second revision listens 5 s after it starts: its rollout is in flight meanwhile.
    const rollout = deploy('second', 5_000);
    const starting = (await until(pods, (list) => list.some((p) => p.revision === 'rolling-00002'), 30_000, 50)).find((p) => p.revision === 'rolling-00002');
    expect(starting, 'the new revision never started an instance').toBeDefined();
    const restart = await t.request('POST', `/api/v1/apps/${app.id}/restart`);
    expect((await rollout).deployment.status).toBe('succeeded');

    expect(restart.status, JSON.stringify(restart.body)).toBe(200);
    // The new revision's instance (started before the restart was asked) was replaced, the old one's not.
    expect(restart.body.restarted).toEqual([{ pod: starting?.name, replaced_by: expect.stringMatching(/^rolling-00002-/) }]);
    const serving = (await pods()).filter((p) => p.phase === 'Running' && p.revision === 'rolling-00002');
    expect(serving.map((p) => p.name)).toEqual([restart.body.restarted[0].replaced_by]);
    expect((await pods()).filter((p) => p.revision === 'rolling-00001' && p.name !== old?.name)).toEqual([]);
  });
});
