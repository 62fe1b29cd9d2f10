import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { helloApp } from '../support/app-fixtures.js';
import { edgeGet as viaEdge } from '../support/edge-get.js';
import { startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';


describe('deploy an artifact and reach it through the edge', () => {
  let t: TestBerth;
  beforeAll(async () => {
    t = await startTestBerth('sqlite');
  });
  afterAll(async () => t?.close());

  it('serves the new revision, then a second one after a rollout', async () => {
    const ws = t.workspaceId;
    const created = await t.request('POST', `/api/v1/workspaces/${ws}/apps`, { body: { name: 'Hello', slug: 'hello', visibility: 'public' } });
    expect(created.status).toBe(201);
    const first = await t.berth.core.deployArtifact({
      appId: created.body.id,
      artifactDir: helloApp('one'),
      command: ['/usr/bin/node', 'server.js'],
      imageRef: 'dir:one',
      triggerType: 'MANUAL',
    });
    expect(first.deployment.status).toBe('succeeded');
    expect(first.revision?.name).toBe('hello-00001');
    const r1 = await viaEdge(t.berth.edgePort, 'hello.localhost');
    expect(r1.status).toBe(200);
    expect(JSON.parse(r1.body)).toMatchObject({ text: 'one', revision: 'hello-00001' });

    const second = await t.berth.core.deployArtifact({
      appId: created.body.id,
      artifactDir: helloApp('two'),
      command: ['/usr/bin/node', 'server.js'],
      imageRef: 'dir:two',
      triggerType: 'MANUAL',
    });
    expect(second.deployment.status).toBe('succeeded');
    const r2 = await viaEdge(t.berth.edgePort, 'hello.localhost');
    expect(JSON.parse(r2.body)).toMatchObject({ text: 'two', revision: 'hello-00002' });

    const revisions = await t.request('GET', `/api/v1/workspaces/${ws}/deploy/apps/hello/revisions`);
    expect(revisions.body.map((r: any) => [r.revisionName, r.trafficPercent])).toEqual([
      ['hello-00002', 100],
      ['hello-00001', 0],
    ]);
  });
});
