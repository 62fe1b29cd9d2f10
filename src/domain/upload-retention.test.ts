import { describe, expect, it } from 'vitest';
import type { UploadStatus } from './build.js';
import { keptUploads, prunedUploadMessage, sweptUploads, type AppUploads, type RetainedUpload } from './upload-retention.js';

const now = new Date('2026-12-04T12:00:00Z');
const later = new Date(now.getTime() + 60_000);
const earlier = new Date(now.getTime() - 60_000);

/** An upload that expired a minute ago unless told otherwise (a complete one's expiry does not matter). */
const anUpload = (id: string, status: UploadStatus = 'complete', expiresAt = earlier): RetainedUpload => ({ id, status, expiresAt });

/** Complete uploads newest first: `u5` … `u1`. */
const complete = (count: number) => Array.from({ length: count }, (_, i) => anUpload(`u${count - i}`));

const anApp = (overrides: Partial<AppUploads> = {}): AppUploads => ({ uploads: complete(5), inFlight: new Set(), ...overrides });

const kept = (apps: AppUploads[], keepRevisions = 2) => [...keptUploads({ apps, keepRevisions, now })].sort();

describe('keptUploads', () => {
  it('keeps the newest N complete uploads of each app', () => {
    expect(kept([anApp()])).toEqual(['u4', 'u5']);
    expect(kept([anApp(), anApp({ uploads: [anUpload('x2'), anUpload('x1')] })], 1)).toEqual(['u5', 'x2']);
  });

  it('keeps an older upload a deployment in flight builds from', () => {
    expect(kept([anApp({ inFlight: new Set(['u1']) })])).toEqual(['u1', 'u4', 'u5']);
  });

  it('keeps an incomplete upload until it expires, and does not count it among the newest N', () => {
    const uploads = [anUpload('p3', 'pending', later), anUpload('p2', 'uploaded', later), anUpload('p1', 'uploaded', earlier), anUpload('exact', 'pending', now), ...complete(3)];
    expect(kept([anApp({ uploads })])).toEqual(['p2', 'p3', 'u2', 'u3']);
  });

  it('keeps nothing of an app it is not told about (deleted apps) and nothing when an app has no upload', () => {
    expect(kept([])).toEqual([]);
    expect(kept([anApp({ uploads: [] })])).toEqual([]);
  });

  it('keeps every complete upload while there are no more than N', () => {
    expect(kept([anApp({ uploads: complete(2) })], 10)).toEqual(['u1', 'u2']);
  });

  it('names the setting and says what to do', () => {
    expect(prunedUploadMessage('upl_1')).toBe(
      "The tarball of upload upl_1 was pruned: Berth keeps the tarballs of each app's newest BERTH_KEEP_REVISIONS complete uploads and of deployments in flight; upload the source again",
    );
  });
});

describe('sweptUploads', () => {
  const tarball = (upload: RetainedUpload, appId = 'app_live') => ({ id: upload.id, upload: { ...upload, appId } });
  const swept = (tarballs: Parameters<typeof sweptUploads>[0]['tarballs']) => [...sweptUploads({ tarballs, liveApps: new Set(['app_live']), now })].sort();

  it('removes an upload never completed once its URL has expired, and keeps one whose URL still holds', () => {
    expect(swept([tarball(anUpload('p1', 'uploaded', earlier)), tarball(anUpload('p2', 'pending', now)), tarball(anUpload('p3', 'uploaded', later))])).toEqual(['p1', 'p2']);
  });

  it('keeps a complete upload whatever its expiry (a build sent with /build expires at once)', () => {
    expect(swept([tarball(anUpload('c1', 'complete', earlier))])).toEqual([]);
  });

  it("removes a deleted app's tarballs and those no record claims", () => {
    expect(swept([tarball(anUpload('c1', 'complete', later), 'app_gone'), { id: 'orphan', upload: null }])).toEqual(['c1', 'orphan']);
  });
});
