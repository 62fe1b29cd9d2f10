// Revisions that go wrong, end to end: one that never becomes ready fails its deployment and
// never gets traffic (the old one keeps 100 %, the traffic API refuses it), and one that crashes
// after start is restarted with backoff until runtime-status says CrashLoopBackOff, counted all
// along as one instance that should exist (0 of 1 ready while it waits for its restart).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { helloApp } from '../support/app-fixtures.js';
import { startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';
import { createApp, deployDir, wsPath } from './support/berth-actions.js';
import { tally, until } from './support/edge-client.js';
import { instanceApp } from './support/instance-app.js';
import { recordedInstances } from './support/instance-records.js';

describe('failing revisions', () => {
  let t: TestBerth;
  beforeAll(async () => {
    t = await startTestBerth('sqlite', { env: { BERTH_READY_TIMEOUT_MS: '3000' } });
  });
  afterAll(async () => t?.close());

  it('fails the deployment of a revision that never becomes ready; the old one keeps serving', async () => {
    const appId = await createApp(t, { name: 'Steady', slug: 'steady', visibility: 'public' });
    expect((await deployDir(t, appId, instanceApp('good'), 'dir:good')).deployment.status).toBe('succeeded');

    const bad = await deployDir(t, appId, helloApp('bad', { failReady: true }), 'dir:bad');
    expect(bad.deployment.status).toBe('failed');
    expect(bad.deployment.error).toContain('steady-00002');
    const fetched = await t.request('GET', wsPath(t, `/deploy/${bad.deployment.id}`));
    expect(fetched.body).toMatchObject({ status: 'failed', revisionName: 'steady-00002' });
    expect(fetched.body.finishedAt).not.toBeNull();

    const listed = await t.request('GET', wsPath(t, `/deploy/apps/${appId}/revisions`));
    expect(listed.body.map((r: any) => [r.revisionName, r.trafficPercent, r.status])).toEqual([
      ['steady-00002', 0, 'failed'],
      ['steady-00001', 100, 'ready'],
    ]);
    expect(Object.fromEntries(await tally(t.berth.edgePort, 'steady.localhost', 50, 'revision'))).toEqual({ 'steady-00001': 50 });

    for (const splits of [
      [{ revisionName: 'steady-00002', percent: 100 }],
      [{ revisionName: 'steady-00001', percent: 90 }, { revisionName: 'steady-00002', percent: 10 }],
      [{ revisionName: 'steady-00001', percent: 100 }, { revisionName: 'steady-00002', percent: 0, tag: 'broken' }],
    ]) {
      const res = await t.request('POST', wsPath(t, `/deploy/apps/${appId}/traffic`), { body: { splits } });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(JSON.stringify(res.body.message)).toContain('steady-00002');
    }
    expect((await t.request('POST', wsPath(t, '/deploy/revisions/steady-00002/promote'))).status).toBe(400);

    // Its instance is stopped, not left probing forever.
    const left = await until(
      async () => recordedInstances(t.dataDir, appId).filter((r) => r.revisionName === 'steady-00002'),
      (r) => r.length === 0,
      15_000,
    );
    expect(left).toEqual([]);
    expect(Object.fromEntries(await tally(t.berth.edgePort, 'steady.localhost', 20, 'revision'))).toEqual({ 'steady-00001': 20 });
  });

  it('restarts a crashing app with backoff until it is in CrashLoopBackOff', async () => {
    const appId = await createApp(t, { name: 'Crashy', slug: 'crashy', visibility: 'public' });
    const result = await deployDir(t, appId, instanceApp('crashy', { crashAfterFirstRequestMs: 300 }), 'dir:crashy');
    expect(result.deployment.status).toBe('succeeded');
    const statusPath = wsPath(t, `/deploy/${result.deployment.id}/runtime-status`);
    const seen: number[] = [];
    const answers: any[] = [];
    const pipelines: any[] = [];
    const status = await until(
      async () => {
        const body = (await t.request('GET', statusPath)).body;
        seen.push(body.restarts as number);
        answers.push(body);
        pipelines.push((await t.request('GET', wsPath(t, `/apps/${appId}/pipeline-state`))).body.runtime);
        return body;
      },
      (s) => s.phase === 'CrashLoopBackOff',
      60_000,
      200,
    );
    expect(status.phase).toBe('CrashLoopBackOff');
    // Five failures make the loop; four of them were replaced so far (the first start is no restart).
    expect(status.restarts).toBeGreaterThanOrEqual(4);
    expect(status.conditions).toContainEqual(expect.objectContaining({ type: 'CrashLoop', status: 'True', reason: 'CrashLoopBackOff' }));
    expect(status.conditions.find((c: any) => c.type === 'CrashLoop').message).toContain('exited with code 1');
    // Restarts came one by one (backoff), not in a burst: the count was seen climbing through its values.
    expect(new Set(seen).size).toBeGreaterThanOrEqual(4);
    expect(seen[0]).toBe(0);
    // Between two crashes the app still has its one instance: 0 of 1 ready, restarting, with the
    // exit reason; never an app with no instances at all (0/0).
    expect(answers.map((a) => a.total)).not.toContain(0);
    const waiting = answers.find((a) => a.restarting === 1);
    expect(waiting).toMatchObject({ ready: 0, total: 1, restarting: 1 });
    expect(waiting.conditions).toContainEqual(expect.objectContaining({ type: 'Ready', status: 'False', reason: 'InstancesRestarting', message: expect.stringContaining('exited with code 1') }));
    // The pipeline says so before the loop too (not 'no replica is running').
    expect(pipelines).toContainEqual(
      expect.objectContaining({ status: 'degraded', totalReplicas: 1, message: expect.stringMatching(/^crashy-00001 has an instance waiting to be restarted after a crash: .*exited with code 1/) }),
    );
    // The pipeline says so too, whether or not an instance happens to be up between two crashes.
    const pipeline = (await t.request('GET', wsPath(t, `/apps/${appId}/pipeline-state`))).body;
    expect(pipeline.runtime).toMatchObject({ status: 'degraded', message: expect.stringMatching(/^crashy-00001 is crash-looping: .*exited with code 1/) });
  });
});
