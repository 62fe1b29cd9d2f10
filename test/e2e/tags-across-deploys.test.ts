// A deploy (a rollback too) sends all traffic to its new revision but keeps the other revisions'
// tags, at 0 %, so a tagged URL handed out for review keeps answering, as Cloud Run keeps tags
// across deploys. A promote replaces the whole split, tags included, as spec 001 says.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';
import { createApp, deployDir, wsPath } from './support/berth-actions.js';
import { edgeJson, edgeRequest, until } from './support/edge-client.js';
import { instanceApp } from './support/instance-app.js';

describe('tags across deploys', () => {
  let t: TestBerth;
  let appId = '';
  let firstDeployment = '';
  const host = 'tagged.localhost';
  const revisions = async () =>
    (await t.request<{ revisionName: string; trafficPercent: number; tag: string | null }[]>('GET', wsPath(t, `/deploy/apps/${appId}/revisions`))).body.map((r) => [
      r.revisionName,
      r.trafficPercent,
      r.tag,
    ]);

  beforeAll(async () => {
    t = await startTestBerth('sqlite');
    appId = await createApp(t, { name: 'Tagged', slug: 'tagged', visibility: 'public' });
    const first = await deployDir(t, appId, instanceApp('one'), 'dir:one');
    firstDeployment = first.deployment.id;
    expect((await deployDir(t, appId, instanceApp('two'), 'dir:two')).deployment.status).toBe('succeeded');
    const split = await t.request('POST', wsPath(t, `/deploy/apps/${appId}/traffic`), {
      body: { splits: [{ revisionName: 'tagged-00002', percent: 100, tag: 'current' }, { revisionName: 'tagged-00001', percent: 0, tag: 'old' }] },
    });
    expect(split.status).toBe(200);
  });
  afterAll(async () => t?.close());

  it('keeps every tag through a rollback, which serves the new revision at 100 %', async () => {
    const rollback = await t.request<{ id: string }>('POST', wsPath(t, `/deploy/${firstDeployment}/rollback`));
    expect(rollback.status).toBe(201);
    const ended = await until(async () => (await t.request<{ status: string }>('GET', wsPath(t, `/deploy/${rollback.body.id}`))).body.status, (s) => s === 'succeeded' || s === 'failed', 30_000);
    expect(ended).toBe('succeeded');
    expect(await revisions()).toEqual([
      ['tagged-00003', 100, null],
      ['tagged-00002', 0, 'current'],
      ['tagged-00001', 0, 'old'],
    ]);
    expect(await edgeJson(t.berth.edgePort, host)).toMatchObject({ revision: 'tagged-00003', text: 'one' });
    expect(await edgeJson(t.berth.edgePort, `old---${host}`)).toMatchObject({ revision: 'tagged-00001', text: 'one' });
    expect(await edgeJson(t.berth.edgePort, `current---${host}`)).toMatchObject({ revision: 'tagged-00002', text: 'two' });
  });

  it('drops the tags on a promote, which replaces the whole split', async () => {
    expect((await t.request('POST', wsPath(t, '/deploy/revisions/tagged-00002/promote'))).status).toBe(200);
    expect(await revisions()).toEqual([
      ['tagged-00003', 0, null],
      ['tagged-00002', 100, null],
      ['tagged-00001', 0, null],
    ]);
    expect((await edgeRequest(t.berth.edgePort, `old---${host}`)).status).toBe(404);
  });
});
