// POST /api/v1/apps/{id}/build (spec 002): a tarball sent as multipart/form-data, in process, on
// SQLite and PostgreSQL. What is not a .tar.gz is refused with 400 and nothing is kept; one over
// the upload limit too; a real one is built (with the app's build command when it has one) and
// deployed, and /deploy rebuilds the last one. Entries are checked as for presigned uploads.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectV1Error, multipartBody, postBuild, storedState } from '../support/apps-v1.js';
import { backends, startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';
import { hostileTarball, sha256, tarballOf } from '../build/tarballs.js';
import { edgeRequest, until } from '../e2e/support/edge-client.js';

describe.each(backends)('building tarballs sent to the Apps API on %s', (backend) => {
  let t: TestBerth;
  let app: { id: string; slug: string };
  const uploadsDir = () => path.join(t.dataDir, 'builds', 'uploads');
  const keptUploads = () => (fs.existsSync(uploadsDir()) ? fs.readdirSync(uploadsDir()) : []);
  const deployments = async () => (await t.request('GET', `/api/v1/apps/${app.id}/deployments`)).body as { id: string; status: string; error: string | null }[];
  const settled = (id: string) =>
    until(deployments, (list) => ['active', 'superseded', 'failed', 'cancelled'].includes(list.find((d) => d.id === id)?.status ?? ''), 120_000, 250).then((list) => list.find((d) => d.id === id));

  beforeAll(async () => {
    t = await startTestBerth(backend, { via: 'inject', env: { BERTH_MAX_UPLOAD_MB: '1', BERTH_READY_TIMEOUT_MS: '20000' } });
    app = (await t.request('POST', '/api/v1/apps', { body: { name: `Site ${backend}`, source_type: 'upload', build_command: 'echo "built by its command" > built.txt' } })).body;
  });
  afterAll(async () => t?.close());

  const refusals: [string, () => Promise<{ payload: Buffer; contentType: string }>, string][] = [
    ['a file that is not gzip', async () => multipartBody({ filename: 'site.tar.gz', data: Buffer.from('just some text, not an archive') }), 'The tarball is not gzip-compressed (send a .tar.gz)'],
    ['gzip that is not a tar', async () => multipartBody({ filename: 'site.tar.gz', data: zlib.gzipSync(Buffer.alloc(2048, 'x')) }), 'The tarball is not a tar archive'],
    ['an empty file', async () => multipartBody({ filename: 'site.tar.gz', data: Buffer.alloc(0) }), 'The tarball is empty'],
    ['a file over the upload limit', async () => multipartBody({ filename: 'big.tar.gz', data: Buffer.alloc(1024 * 1024 + 100, 1) }), 'upload is larger than the 1048576 bytes allowed'],
    ['no file part at all', async () => ({ ...multipartBody({ filename: 'x', data: Buffer.alloc(0) }), payload: Buffer.from('--b--\r\n'), contentType: 'multipart/form-data; boundary=b' }), 'The request has no file part: send the tarball as one'],
  ];
  it.each(refusals)('refuses %s with 400 and keeps nothing', async (_what, body, message) => {
    const before = await storedState(t);
    expectV1Error(await postBuild(t, app.slug, await body()), 400, 'invalid_request', [{ field: null, message }]);
    expect(await storedState(t)).toEqual(before);
    expect(keptUploads()).toEqual([]);
  });

  it('refuses a JSON body: the tarball must come as multipart/form-data', async () => {
    expectV1Error(await t.request('POST', `/api/v1/apps/${app.slug}/build`, { body: { tarball: 'x' } }), 400, 'invalid_request', [
      { field: null, message: 'Send the tarball as multipart/form-data, in one file part' },
    ]);
  });

  it('builds and deploys a tarball, running the app’s build command in place of the detected build', async () => {
    const data = await tarballOf({ 'index.html': '<h1>from the tarball</h1>' });
    const res = await postBuild(t, app.slug, multipartBody({ filename: 'site.tar.gz', data }));
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body).toMatchObject({ deployment: { status: 'queued', trigger: 'manual', app_id: app.id }, upload: { id: expect.stringMatching(/^upl_/), size_bytes: data.length, sha256: sha256(data) } });
    const done = await settled(res.body.deployment.id);
    expect(done?.status, done?.error ?? '').toBe('active');
    const log = (await t.request('GET', `/api/v1/apps/${app.id}/build-log`)).body;
    expect(log).toMatchObject({ app_id: app.id, deployment_id: res.body.deployment.id, status: 'active' });
    expect(log.lines).toContain('[plan] build: echo "built by its command" > built.txt (the app\'s build command, in place of the detected build)');
    const served = await edgeRequest(t.berth.edgePort, `${app.slug}.localhost`, { path: '/built.txt' });
    expect(served.body.trim()).toBe('built by its command');
    const events = ((await t.request('GET', `/api/v1/apps/${app.id}/events`)).body as { reason: string; message: string }[]).map((e) => `${e.reason}: ${e.message}`);
    expect(events).toContainEqual(expect.stringMatching(/^Pulled: Fetched the source: upload upl_/));
    expect(events).toContainEqual(expect.stringMatching(/^Built: Built sha256:[0-9a-f]{64} \(static\)/));
  }, 180_000);

  it('deploy rebuilds the last upload', async () => {
    const res = await t.request('POST', `/api/v1/apps/${app.slug}/deploy`);
    expect(res.status).toBe(202);
    const done = await settled(res.body.id);
    expect(done?.status, done?.error ?? '').toBe('active');
    expect((await deployments()).map((d) => d.status)).toEqual(['active', 'superseded']);
  }, 180_000);

  it('checks the entries as for every upload: a tarball that climbs out fails its deployment, naming the entry', async () => {
    const res = await postBuild(t, app.slug, multipartBody({ filename: 'evil.tar.gz', data: hostileTarball([{ path: '../escape.txt', body: 'x' }]) }));
    expect(res.status).toBe(202);
    const done = await settled(res.body.deployment.id);
    expect(done).toMatchObject({ status: 'failed', error: expect.stringContaining('"../escape.txt"') });
    expect((await deployments())[1]?.status).toBe('active');
  }, 120_000);
});
