// The periodic sweep of uploaded tarballs (BERTH_UPLOAD_SWEEP_MS, here 100 ms), in process: an
// upload received but never completed loses its tarball once its URL expires, with no deploy at
// all; a complete one stays; and an expired one completed and deployed while a sweep that read
// it as expired is still deciding keeps its tarball, and the deployment builds from it.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tarballOf } from '../build/tarballs.js';
import { until } from '../e2e/support/edge-client.js';
import { shiftableClock } from '../support/shiftable-clock.js';
import { backends, startTestBerth } from '../support/test-berth.js';
import { holdAfterRead } from '../support/held-call.js';
import { presignedUpload } from './presigned-upload.js';
import type { TestBerth } from '../support/test-berth.js';

describe.each(backends)('sweeping expired uploads without a deploy on %s', (backend) => {
  let t: TestBerth;
  const clock = shiftableClock();
  /** Sweeps that have ended, counted by the prune seam. */
  let sweeps = 0;
  const ws = (rest: string) => `/api/v1/workspaces/${t.workspaceId}${rest}`;
  const tarball = (uploadId: string) => fs.existsSync(path.join(t.dataDir, 'builds', 'uploads', `${uploadId}.tar.gz`));
  /** Resolves once a sweep that started after this call has ended. */
  const nextSweeps = async () => {
    const after = sweeps + 1; // the one running now may have read the store before
    await until(async () => sweeps, (n) => n > after, 30_000, 20);
  };
  const site = (n: number) => tarballOf({ 'index.html': `<p>release ${n}</p>` });

  const presigned = (appId: string, data: Buffer, complete?: boolean) => presignedUpload(t, appId, data, complete);

  beforeAll(async () => {
    t = await startTestBerth(backend, {
      via: 'inject',
      env: { BERTH_UPLOAD_SWEEP_MS: '100', BERTH_ARTIFACT_GRACE_MS: '0', BERTH_READY_TIMEOUT_MS: '20000' },
      start: {
        clock,
        aroundPrune: async (scope, run) => {
          await run();
          if (scope === 'uploads') sweeps += 1;
        },
      },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('removes the tarball of an expired upload never completed with no deploy, and keeps a complete one', { timeout: 60_000 }, async () => {
    const app = (await t.request('POST', ws('/apps'), { body: { name: `Idle ${backend}`, slug: `idle-${backend}`, visibility: 'public' } })).body;
    const abandoned = await presigned(app.id, await site(1), false);
    const complete = await presigned(app.id, await site(2), true);
    await nextSweeps();
    expect([tarball(abandoned), tarball(complete)]).toEqual([true, true]);

    clock.advance(20 * 60_000); // past the URL's 15 minutes
    expect(await until(async () => tarball(abandoned), (there) => !there, 30_000, 20)).toBe(false);
    await nextSweeps();
    expect(tarball(complete)).toBe(true);
    expect((await t.request('GET', ws(`/deploy?appId=${app.id}`))).body.meta.total).toBe(0);
    const late = await t.request('POST', ws(`/apps/${app.id}/uploads/${abandoned}/complete`), { body: {} });
    expect(late.body).toEqual({ statusCode: 409, error: 'Conflict', message: 'This upload expired and its tarball was removed: call init again' });
  });

  it('keeps an expired upload completed and deployed while a sweep that read it as expired decides', { timeout: 120_000 }, async () => {
    const app = (await t.request('POST', ws('/apps'), { body: { name: `Late ${backend}`, slug: `late-${backend}`, visibility: 'public' } })).body;
    const late = await presigned(app.id, await site(3), false);
    // The next sweep that reads this upload's record is held once it has read it: expired, never completed.
    const uploads = t.berth.store.uploads;
    const held = holdAfterRead(uploads.byIds.bind(uploads), (fn) => (uploads.byIds = fn), {
      when: (rows) => rows.some((u) => u.id === late && u.status === 'uploaded' && u.expiresAt.getTime() <= clock.now().getTime()),
      once: true,
    });
    try {
      clock.advance(20 * 60_000);
      await held.reading;
      expect((await t.request('POST', ws(`/apps/${app.id}/uploads/${late}/complete`), { body: {} })).status).toBe(200);
      const queued = await t.request('POST', ws('/deploy'), { body: { appId: app.id, source: { type: 'UPLOAD', uploadId: late } } });
      expect(queued.status, JSON.stringify(queued.body)).toBe(201);
      held.release();
      const done = await until(async () => (await t.request('GET', ws(`/deploy/${queued.body.id}`))).body, (d) => ['succeeded', 'failed', 'cancelled'].includes(d.status), 60_000, 100);
      expect(done.status, JSON.stringify(done)).toBe('succeeded');
      await nextSweeps();
      expect(tarball(late)).toBe(true);
    } finally {
      held.release();
    }
  });
});
