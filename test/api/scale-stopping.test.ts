// Scaling down an app that ignores SIGTERM, in process: its instance leaves the route table at
// once but its process runs on until the drain timeout kills it; until then the scale answer says
// so (scaling, 1 still stopping), not stable with nothing left running.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';
import { until } from '../e2e/support/edge-client.js';
import { instanceApp, nodeCommand } from '../e2e/support/instance-app.js';

describe('scaling down an app that ignores SIGTERM', () => {
  let t: TestBerth;
  beforeAll(async () => {
    t = await startTestBerth('sqlite', { via: 'inject', env: { BERTH_DRAIN_TIMEOUT_MS: '4000' } });
  });
  afterAll(async () => t?.close());

  it('answers scaling with the instance still stopping until its process is gone', { timeout: 60_000 }, async () => {
    const app = (await t.request('POST', `/api/v1/workspaces/${t.workspaceId}/apps`, { body: { name: 'Stubborn', slug: 'stubborn' } })).body;
    const dir = instanceApp('stubborn', { ignoreSigterm: true });
    const result = await t.berth.core.deployArtifact({ appId: app.id, artifactDir: dir, command: nodeCommand, imageRef: 'dir:stubborn', triggerType: 'MANUAL' });
    expect(result.deployment.status, result.deployment.error ?? '').toBe('succeeded');
    const scale = async () => (await t.request('POST', `/api/v1/workspaces/${t.workspaceId}/deploy/scale`, { body: { appId: app.id, replicas: 0 } })).body;

    expect(await scale()).toMatchObject({ requestedReplicas: 0, currentReplicas: 0, stoppingInstances: 1, status: 'scaling' });
    const settled = await until(scale, (s) => s.status === 'stable', 20_000, 250);
    expect(settled).toMatchObject({ currentReplicas: 0, stoppingInstances: 0, status: 'stable' });
  });
});
