// Retention of uploaded tarballs with BERTH_KEEP_REVISIONS=2, in process: four upload deploys
// (three presigned, one multipart /build of spec 002) leave only the two newest tarballs on disk,
// every upload record stays, deploying a pruned upload answers 409 and creates nothing, a kept one
// deploys, an expired never-completed upload's tarball goes, a soft-deleted app's tarballs go at
// the next prune (its latest upload then answers 409 once restored), and a purge removes them all.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prunedUploadMessage } from '../../src/domain/upload-retention.js';
import { tarballOf } from '../build/tarballs.js';
import { until } from '../e2e/support/edge-client.js';
import { multipartBody, postBuild } from '../support/apps-v1.js';
import { shiftableClock } from '../support/shiftable-clock.js';
import { backends, startTestBerth } from '../support/test-berth.js';
import { holdAfterRead } from '../support/held-call.js';
import { presignedUpload } from './presigned-upload.js';
import type { TestBerth } from '../support/test-berth.js';

describe.each(backends)('pruning uploaded tarballs beyond BERTH_KEEP_REVISIONS on %s', (backend) => {
  let t: TestBerth;
  const clock = shiftableClock();
  const ws = (rest: string) => `/api/v1/workspaces/${t.workspaceId}${rest}`;
  const tarballs = () => {
    const dir = path.join(t.dataDir, 'builds', 'uploads');
    return new Set(fs.existsSync(dir) ? fs.readdirSync(dir) : []);
  };
  const files = (...ids: (string | undefined)[]) => new Set(ids.map((id) => `${id}.tar.gz`));
  const settled = (id: string) => until(async () => (await t.request('GET', ws(`/deploy/${id}`))).body, (d) => ['succeeded', 'failed', 'cancelled'].includes(d.status), 120_000, 200);
  const deploymentCount = async (appId: string) => (await t.request('GET', ws(`/deploy?appId=${appId}`))).body.meta.total as number;

  const presigned = (appId: string, data: Buffer, complete?: boolean) => presignedUpload(t, appId, data, complete);

  async function deployUpload(appId: string, uploadId?: string) {
    return t.request('POST', ws('/deploy'), { body: { appId, source: uploadId ? { type: 'UPLOAD', uploadId } : { type: 'UPLOAD' } } });
  }

  const site = (n: number) => tarballOf({ 'index.html': `<p>release ${n}</p>` });

  beforeAll(async () => {
    // No grace: every prune removes at once whatever retention does not keep.
    t = await startTestBerth(backend, { via: 'inject', env: { BERTH_KEEP_REVISIONS: '2', BERTH_ARTIFACT_GRACE_MS: '0', BERTH_READY_TIMEOUT_MS: '20000' }, start: { clock } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('keeps the newest two tarballs and every record, refuses a pruned one with 409, deploys a kept one', { timeout: 240_000 }, async () => {
    const app = (await t.request('POST', ws('/apps'), { body: { name: `Uploaded ${backend}`, slug: `uploaded-${backend}`, visibility: 'public' } })).body;
    const uploads: string[] = [];
    for (let n = 1; n <= 3; n++) {
      const uploadId = await presigned(app.id, await site(n));
      const queued = await deployUpload(app.id, uploadId);
      expect(queued.status, JSON.stringify(queued.body)).toBe(201);
      expect((await settled(queued.body.id)).status).toBe('succeeded');
      uploads.push(uploadId);
    }
    const built = await postBuild(t, app.id, multipartBody({ filename: 'site.tar.gz', data: await site(4) }));
    expect(built.status, JSON.stringify(built.body)).toBe(202);
    expect((await settled(built.body.deployment.id)).status).toBe('succeeded');
    uploads.push(built.body.upload.id);
    const [first, second, third, fourth] = uploads;

    // The prune runs once the deployment has ended, so it may still be removing when it reads succeeded.
    expect(await until(async () => tarballs(), (names) => names.size <= 2, 30_000)).toEqual(files(third, fourth));
    for (const id of uploads) expect((await t.berth.store.uploads.byId(id ?? ''))?.status).toBe('complete');

    const before = await deploymentCount(app.id);
    const pruned = await deployUpload(app.id, first);
    expect(pruned.body).toEqual({ statusCode: 409, error: 'Conflict', message: prunedUploadMessage(first ?? '') });
    expect(pruned.status).toBe(409);
    expect((await deployUpload(app.id, second)).status).toBe(409);
    expect(await deploymentCount(app.id)).toBe(before);

    // An upload received but never completed is kept until its URL expires, then pruned with the next prune.
    const abandoned = await presigned(app.id, await site(5), false);
    expect(tarballs()).toEqual(files(third, fourth, abandoned));
    clock.advance(20 * 60_000);

    const again = await deployUpload(app.id, third);
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    expect((await settled(again.body.id)).status).toBe('succeeded');
    expect(await until(async () => tarballs(), (names) => names.size <= 2, 30_000)).toEqual(files(third, fourth));
    expect((await t.berth.store.uploads.byId(abandoned))?.status).toBe('uploaded');
    const late = await t.request('POST', ws(`/apps/${app.id}/uploads/${abandoned}/complete`), { body: {} });
    expect(late.body).toEqual({ statusCode: 409, error: 'Conflict', message: 'This upload expired and its tarball was removed: call init again' });

    // Soft-deleted: the next prune (its instances stopping) removes its tarballs; restored, its latest upload is gone.
    expect((await t.request('DELETE', ws(`/apps/${app.id}`))).status).toBeLessThan(300);
    expect(await until(async () => tarballs(), (names) => names.size === 0, 30_000)).toEqual(new Set());
    expect((await t.request('POST', `/api/apps/${app.id}/restore`)).status).toBe(200);
    const latest = await deployUpload(app.id);
    expect(latest.body).toEqual({ statusCode: 409, error: 'Conflict', message: prunedUploadMessage(fourth ?? '') });
    for (const id of uploads) expect((await t.berth.store.uploads.byId(id ?? ''))?.status).toBe('complete');
  });

  it('spares a tarball deployed while a prune that read the store before the deploy is removing', { timeout: 120_000 }, async () => {
    const app = (await t.request('POST', ws('/apps'), { body: { name: `Raced ${backend}`, slug: `raced-${backend}`, visibility: 'public' } })).body;
    // Builds run one at a time, oldest first (BERTH_BUILD_CONCURRENCY=1): this app's slow build, queued first,
    // keeps the raced deployment from extracting its tarball until long after the held prune has gone on.
    const blocker = (await t.request('POST', '/api/v1/apps', { body: { name: `Blocker ${backend}`, source_type: 'upload', build_command: 'sleep 3' } })).body;
    const [oldest, , newest] = [await presigned(app.id, await site(1)), await presigned(app.id, await site(2)), await presigned(app.id, await site(3))];

    // Every prune's reading of uploads is held (after it read) until the raced deploy is queued: its reading says
    // `oldest` is neither among the newest two nor in flight. The store is the one the core runs on (RunningBerth.store).
    const uploads = t.berth.store.uploads;
    const held = holdAfterRead(uploads.list.bind(uploads), (fn) => (uploads.list = fn));
    try {
      const trigger = await deployUpload(app.id, newest);
      expect((await settled(trigger.body.id)).status).toBe('succeeded'); // its end starts a prune
      await held.reading;
      const slow = await postBuild(t, blocker.id, multipartBody({ filename: 'slow.tar.gz', data: await site(0) }));
      expect(slow.status, JSON.stringify(slow.body)).toBe(202);
      const raced = await deployUpload(app.id, oldest);
      expect(raced.status, JSON.stringify(raced.body)).toBe(201);
      held.release();
      // The prune ends long before the slow build does; only then is the raced deployment's tarball extracted.
      const done = await settled(raced.body.id);
      expect(done.status, JSON.stringify(done)).toBe('succeeded');
      expect((await settled(slow.body.deployment.id)).status).toBe('succeeded');
    } finally {
      held.release();
    }
  });

  it('removes every tarball of an app when it is purged, complete or not', { timeout: 60_000 }, async () => {
    const app = (await t.request('POST', ws('/apps'), { body: { name: `Purged ${backend}`, slug: `purged-${backend}`, visibility: 'public' } })).body;
    const complete = await presigned(app.id, await site(1));
    const open = await presigned(app.id, await site(2), false);
    // Other apps' tarballs may still be pruning (the tests above end deployments): look at this app's only.
    const own = () => [...files(complete, open)].filter((name) => tarballs().has(name));
    expect(own()).toEqual([...files(complete, open)]);
    expect((await t.request('DELETE', ws(`/apps/${app.id}/permanent`))).status).toBeLessThan(300);
    expect(own()).toEqual([]);
  });
});
