// The upload flow of client-contract.md, step by step, over real sockets: init, the signed PUT
// (no API key; a wrong token, a second PUT, an oversized body and an expired URL are refused),
// complete (size and sha256 checked), deploy with source UPLOAD. Hostile tarballs (`../`
// entries, a symlink pointing out, a device) fail their deployment with the reason.
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestBerth } from '../support/test-berth.js';
import { buildLog, createApp, deploy, edgeJson, startBuildBerth, viaEdge, waitForDeployment, ws } from './support.js';
import { hostileTarball, sha256, tarballOf } from './tarballs.js';

const server = `require('node:http').createServer((q, s) => s.end(JSON.stringify({ from: 'upload', revision: process.env.BERTH_REVISION }))).listen(Number(process.env.PORT));\n`;

async function put(url: string, body: Buffer, headers: Record<string, string> = { 'content-type': 'application/gzip' }) {
  const res = await fetch(url, { method: 'PUT', body, headers });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

describe('uploads', () => {
  let t: TestBerth;
  let appId: string;

  beforeAll(async () => {
    t = await startBuildBerth({ BERTH_UPLOAD_URL_TTL_MS: '4000' });
    appId = await createApp(t, { name: 'Local dir', slug: 'localdir' });
  });
  afterAll(async () => t?.close());

  async function upload(data: Buffer) {
    const init = await t.request('POST', ws(t, `/apps/${appId}/uploads/init`), { body: { sizeBytes: data.length, sha256: sha256(data) } });
    expect(init.status).toBe(201);
    const putRes = await put(init.body.presignedPutUrl, data, init.body.headers);
    expect(putRes.status).toBe(200);
    const complete = await t.request('POST', ws(t, `/apps/${appId}/uploads/${init.body.uploadId}/complete`), { body: { sha256: sha256(data) } });
    expect(complete.status).toBe(200);
    return init.body.uploadId as string;
  }

  it('init, signed PUT, complete, deploy', { timeout: 120_000 }, async () => {
    const data = await tarballOf({ Procfile: 'web: node server.js\n', 'server.js': server, Dockerfile: 'FROM scratch\n' });
    const init = await t.request('POST', ws(t, `/apps/${appId}/uploads/init`), { body: { sizeBytes: data.length } });
    expect(init.status).toBe(201);
    expect(init.body).toMatchObject({ bucketKey: `uploads/${appId}/${init.body.uploadId}.tar.gz`, headers: { 'Content-Type': 'application/gzip' }, maxSizeBytes: 512 * 1024 * 1024 });
    expect(init.body.presignedPutUrl).toMatch(new RegExp(`^${t.url}/api/v1/uploads/upl_[a-z0-9]+\\?token=`));
    expect(Date.parse(init.body.expiresAt)).toBeGreaterThan(Date.now());
    const url = new URL(init.body.presignedPutUrl);

    // Deploying before the upload is complete is refused.
    expect((await t.request('POST', ws(t, '/deploy'), { body: { appId, source: { type: 'UPLOAD', uploadId: init.body.uploadId } } })).status).toBe(409);
    const wrong = new URL(url);
    wrong.searchParams.set('token', 'not-the-token');
    expect((await put(wrong.toString(), data)).status).toBe(403);
    const other = new URL(url);
    other.pathname = '/api/v1/uploads/upl_someoneelse';
    expect((await put(other.toString(), data)).status).toBe(403);
    expect((await put(url.toString(), Buffer.concat([data, Buffer.alloc(10)]))).status).toBe(400);

    expect(await put(url.toString(), data)).toEqual({ status: 200, body: { uploadId: init.body.uploadId, sizeBytes: data.length } });
    expect((await put(url.toString(), data)).status).toBe(409);
    const mismatch = await t.request('POST', ws(t, `/apps/${appId}/uploads/${init.body.uploadId}/complete`), { body: { sha256: 'a'.repeat(64) } });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.message).toEqual([expect.stringMatching(/sha256 mismatch/)]);
    const complete = await t.request('POST', ws(t, `/apps/${appId}/uploads/${init.body.uploadId}/complete`), { body: { sha256: sha256(data) } });
    expect(complete.body).toEqual({ uploadId: init.body.uploadId, status: 'complete', sizeBytes: data.length });

    const queued = await deploy(t, { appId, source: { type: 'UPLOAD', uploadId: init.body.uploadId }, triggerType: 'MANUAL' });
    expect(queued).toMatchObject({ status: 'queued', gitBranch: null });
    const done = await waitForDeployment(t, queued.id);
    expect(done).toMatchObject({ status: 'succeeded', buildpack: 'procfile', revisionName: 'localdir-00001' });
    expect(await edgeJson(t, 'localdir')).toEqual({ from: 'upload', revision: 'localdir-00001' });
  });

  it('a PUT after the URL expired is refused', { timeout: 30_000 }, async () => {
    const data = await tarballOf({ 'index.html': '<p>late</p>' });
    const init = await t.request('POST', ws(t, `/apps/${appId}/uploads/init`), { body: { sizeBytes: data.length } });
    await new Promise((r) => setTimeout(r, 4500));
    const res = await put(init.body.presignedPutUrl, data);
    expect(res.status).toBe(403);
    expect(res.body.message).toMatch(/expired/);
  });

  it('a size mismatch at complete is a 400', async () => {
    const data = await tarballOf({ 'index.html': '<p>short</p>' });
    const init = await t.request('POST', ws(t, `/apps/${appId}/uploads/init`), { body: { sizeBytes: data.length + 100 } });
    expect((await put(init.body.presignedPutUrl, data)).status).toBe(200);
    const res = await t.request('POST', ws(t, `/apps/${appId}/uploads/${init.body.uploadId}/complete`), { body: { sha256: sha256(data) } });
    expect(res.status).toBe(400);
    expect(res.body.message).toEqual([expect.stringMatching(/size mismatch/)]);
  });

  it.each([
    ['a ../ entry', [{ path: 'index.html', body: 'x' }, { path: '../escaped.txt', body: 'gotcha' }], /entry "\.\.\/escaped\.txt" climbs out of the tree/],
    ['a nested ../ entry', [{ path: 'a/../../escaped.txt', body: 'gotcha' }], /climbs out of the tree/],
    ['an absolute path', [{ path: '/tmp/escaped.txt', body: 'gotcha' }], /is an absolute path/],
    ['a symlink pointing out', [{ path: 'index.html', body: 'x' }, { path: 'passwd', type: 'SymbolicLink', linkpath: '../../../../etc/passwd' }], /links outside the tree/],
    ['an absolute symlink', [{ path: 'etc', type: 'SymbolicLink', linkpath: '/etc' }, { path: 'etc/cron.d/x', body: 'x' }], /links to an absolute path/],
    ['a file through a symlink', [{ path: 'up', type: 'SymbolicLink', linkpath: '.' }, { path: 'up/index.html', body: 'x' }], /written through a link/],
    ['a hard link out', [{ path: 'shadow', type: 'Link', linkpath: '../../etc/shadow' }], /links outside the tree/],
    ['a device', [{ path: 'null', type: 'CharacterDevice' }], /is a CharacterDevice/],
  ] as const)('a tarball with %s fails its deployment', { timeout: 60_000 }, async (_name, entries, reason) => {
    const id = await upload(hostileTarball([...entries]));
    const done = await waitForDeployment(t, (await deploy(t, { appId, source: { type: 'UPLOAD', uploadId: id } })).id);
    expect(done.status).toBe('failed');
    expect(done.error).toMatch(/^Build failed: unsafe tarball: /);
    expect(done.error).toMatch(reason);
    expect((await buildLog(t, done.id)).at(-1)).toBe(`[deploy] ${done.error}`);
    expect((await viaEdge(t, 'localdir')).status).toBe(200);
  });

  it('a tarball gzipped twice (a nested bomb the limit would not count) fails', { timeout: 60_000 }, async () => {
    const id = await upload(gzipSync(hostileTarball([{ path: 'index.html', body: 'x' }])));
    const done = await waitForDeployment(t, (await deploy(t, { appId, source: { type: 'UPLOAD', uploadId: id } })).id);
    expect(done.error).toMatch(/unsafe tarball: the archive is compressed twice/);
  });

  it('a file that is not a tarball fails with a clear reason', { timeout: 60_000 }, async () => {
    const id = await upload(Buffer.from('definitely not gzip'));
    const done = await waitForDeployment(t, (await deploy(t, { appId, source: { type: 'UPLOAD', uploadId: id } })).id);
    expect(done.error).toMatch(/not a valid \.tar\.gz archive/);
  });
});
