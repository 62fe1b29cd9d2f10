// A deployment that finishes after a newer one went live (a slow build overtaken by a rollback
// or another deploy) must not take traffic back: the deployment triggered last wins.
import { newDeployment } from '../../src/domain/deployment.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { helloApp } from '../support/app-fixtures.js';
import { startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';
import { edgeRequest } from './support/edge-client.js';

describe('a deployment overtaken by a newer one', () => {
  let t: TestBerth;
  beforeAll(async () => {
    t = await startTestBerth('sqlite');
  });
  afterAll(async () => t?.close());

  it('keeps traffic on the newer deployment and says why', async () => {
    const created = await t.request('POST', `/api/v1/workspaces/${t.workspaceId}/apps`, { body: { name: 'Race', slug: 'race', visibility: 'public' } });
    const appId = created.body.id as string;
    const now = new Date();
    // The slow one: triggered first, still deploying.
    const slowId = `dep_${'0'.repeat(4)}${Date.now().toString(36)}slow`;
    await t.berth.store.deployments.create(
      newDeployment({ id: slowId, appId, workspaceId: t.workspaceId, status: 'deploying', stage: 'rolling_out', triggerType: 'MANUAL', startedAt: now, createdAt: now }),
    );
    const fast = await t.berth.core.deployArtifact({ appId, artifactDir: helloApp('fast'), command: ['/usr/bin/node', 'server.js'], imageRef: 'dir:fast', triggerType: 'MANUAL' });
    expect(fast.deployment.status).toBe('succeeded');
    expect(fast.deployment.id > slowId).toBe(true);

    const slow = await t.berth.core.deployArtifact({
      appId,
      artifactDir: helloApp('slow'),
      command: ['/usr/bin/node', 'server.js'],
      imageRef: 'dir:slow',
      triggerType: 'MANUAL',
      deploymentId: slowId,
    });
    expect(slow.deployment.status).toBe('cancelled');
    expect(slow.deployment.error).toContain(`Superseded: ${fast.deployment.id}`);
    const answer = await edgeRequest(t.berth.edgePort, 'race.localhost');
    expect(JSON.parse(answer.body)).toMatchObject({ text: 'fast' });
    const revisions = await t.request('GET', `/api/v1/workspaces/${t.workspaceId}/deploy/apps/race/revisions`);
    expect(revisions.body.map((r: any) => [r.revisionName, r.trafficPercent, r.status])).toEqual([
      ['race-00002', 0, 'ready'],
      ['race-00001', 100, 'ready'],
    ]);
  });
});
