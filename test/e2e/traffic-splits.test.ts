// Traffic between revisions through the edge over real sockets, on SQLite and PostgreSQL: an
// exact 90/10 split over 1,000 requests, tagged URLs (also of a 0 % revision), promote, and a
// traffic API that refuses bad splits with the error shape and leaves traffic as it was.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';
import { createApp, deployDir, wsPath } from './support/berth-actions.js';
import { edgeJson, edgeRequest, tally, until } from './support/edge-client.js';
import { instanceApp } from './support/instance-app.js';

interface RevisionRow {
  revisionName: string;
  trafficPercent: number;
  tag: string | null;
  status: string;
}

describe.each(backends)('traffic splits through the edge (%s)', (backend) => {
  let t: TestBerth;
  let appId = '';
  const host = 'split.localhost';
  const revisions = async () =>
    (await t.request<RevisionRow[]>('GET', wsPath(t, `/deploy/apps/${appId}/revisions`))).body.map((r) => [r.revisionName, r.trafficPercent, r.tag]);
  const instances = async () =>
    (await t.request<(RevisionRow & { readyInstances: number; totalInstances: number })[]>('GET', wsPath(t, `/deploy/apps/${appId}/revisions`))).body.map((r) => [
      r.revisionName,
      r.readyInstances,
      r.totalInstances,
    ]);
  const setTraffic = (splits: unknown[]) => t.request('POST', wsPath(t, `/deploy/apps/${appId}/traffic`), { body: { splits } });

  beforeAll(async () => {
    t = await startTestBerth(backend);
    appId = await createApp(t, { name: 'Split', slug: 'split', visibility: 'public' });
    for (const text of ['one', 'two', 'three']) {
      const result = await deployDir(t, appId, instanceApp(text), `dir:${text}`);
      expect(result.deployment.status).toBe('succeeded');
    }
  });
  afterAll(async () => t?.close());

  it('splits 90/10 exactly over 1,000 requests and routes tags to their revisions', async () => {
    const res = await setTraffic([
      { revisionName: 'split-00001', percent: 90, tag: 'stable' },
      { revisionName: 'split-00002', percent: 10, tag: 'canary' },
    ]);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      appId,
      splits: [
        { revisionName: 'split-00001', percent: 90, tag: 'stable' },
        { revisionName: 'split-00002', percent: 10, tag: 'canary' },
      ],
    });
    expect(Number.isNaN(Date.parse(res.body.updatedAt))).toBe(false);
    expect(await revisions()).toEqual([
      ['split-00003', 0, null],
      ['split-00002', 10, 'canary'],
      ['split-00001', 90, 'stable'],
    ]);

    // What runs of each: both split revisions' replicas, and the one that just lost its traffic as a warm standby.
    expect(await instances()).toEqual([
      ['split-00003', 1, 1],
      ['split-00002', 1, 1],
      ['split-00001', 1, 1],
    ]);
    const counts = await tally(t.berth.edgePort, host, 1000, 'revision');
    process.stdout.write(`90/10 split over 1,000 requests (${backend}): ${JSON.stringify(Object.fromEntries(counts))}\n`);
    expect([...counts.keys()].sort()).toEqual(['split-00001', 'split-00002']);
    expect(Math.abs((counts.get('split-00001') ?? 0) - 900)).toBeLessThanOrEqual(10);
    expect(Math.abs((counts.get('split-00002') ?? 0) - 100)).toBeLessThanOrEqual(10);

    expect(await edgeJson(t.berth.edgePort, `canary---${host}`)).toMatchObject({ revision: 'split-00002', text: 'two' });
    expect(await edgeJson(t.berth.edgePort, `stable---${host}`)).toMatchObject({ revision: 'split-00001', text: 'one' });
    expect((await edgeRequest(t.berth.edgePort, `nope---${host}`)).status).toBe(404);
  });

  it('reaches a 0 % revision by its tag while the app serves the others', async () => {
    const res = await setTraffic([
      { revisionName: 'split-00001', percent: 100, tag: 'stable' },
      { revisionName: 'split-00003', percent: 0, tag: 'preview' },
    ]);
    expect(res.status).toBe(200);
    expect(await edgeJson(t.berth.edgePort, `preview---${host}`)).toMatchObject({ revision: 'split-00003', text: 'three' });
    const counts = await tally(t.berth.edgePort, host, 50, 'revision');
    expect(Object.fromEntries(counts)).toEqual({ 'split-00001': 50 });
  });

  it('promotes a revision to 100 % in the response shape of spec 001', async () => {
    const res = await t.request('POST', wsPath(t, '/deploy/revisions/split-00003/promote'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ appId, promotedRevision: 'split-00003', splits: [{ revisionName: 'split-00003', percent: 100 }] });
    expect(res.body.splits).toHaveLength(1);
    expect(res.body.splits[0].tag).toBeUndefined();
    expect(Number.isNaN(Date.parse(res.body.updatedAt))).toBe(false);
    const counts = await tally(t.berth.edgePort, host, 50, 'revision');
    expect(Object.fromEntries(counts)).toEqual({ 'split-00003': 50 });
    expect(await revisions()).toEqual([
      ['split-00003', 100, null],
      ['split-00002', 0, null],
      ['split-00001', 0, null],
    ]);
    // The tags went with the old split.
    expect((await edgeRequest(t.berth.edgePort, `stable---${host}`)).status).toBe(404);
  });

  it('refuses invalid splits with 400 and the error shape, leaving traffic unchanged', async () => {
    const before = await revisions();
    const bad: [string, unknown[]][] = [
      ['sum is not 100', [{ revisionName: 'split-00001', percent: 50 }, { revisionName: 'split-00002', percent: 40 }]],
      ['unknown revision', [{ revisionName: 'split-00099', percent: 100 }]],
      ['unknown revision id', [{ revisionId: 'rev_does_not_exist', percent: 100 }]],
      ['duplicate tag', [{ revisionName: 'split-00001', percent: 50, tag: 'x' }, { revisionName: 'split-00002', percent: 50, tag: 'x' }]],
      ['same revision twice', [{ revisionName: 'split-00001', percent: 50 }, { revisionName: 'split-00001', percent: 50 }]],
      ['percent out of range', [{ revisionName: 'split-00001', percent: 101 }]],
    ];
    for (const [why, splits] of bad) {
      const res = await setTraffic(splits);
      expect(res.status, why).toBe(400);
      expect(res.body, why).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      const message = res.body.message as unknown;
      expect(typeof message === 'string' || (Array.isArray(message) && message.every((m) => typeof m === 'string')), why).toBe(true);
      expect(JSON.stringify(res.body), why).not.toMatch(/\bat .*\.(ts|js):\d+/);
    }
    expect(await revisions()).toEqual(before);
    const counts = await tally(t.berth.edgePort, host, 20, 'revision');
    expect(Object.fromEntries(counts)).toEqual({ 'split-00003': 20 });
  });

  it('says when nothing runs of a revision: none of them once the app is scaled to 0', async () => {
    const res = await t.request('POST', wsPath(t, '/deploy/scale'), { body: { appId, replicas: 0 } });
    expect(res.status).toBe(200);
    const stopped = (rows: unknown[][]) => rows.every(([, ready, total]) => ready === 0 && total === 0);
    expect(await until(instances, stopped, 30_000)).toEqual([
      ['split-00003', 0, 0],
      ['split-00002', 0, 0],
      ['split-00001', 0, 0],
    ]);
    expect((await edgeRequest(t.berth.edgePort, host)).status).toBe(503);
  });
});
