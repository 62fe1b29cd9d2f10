// Preview sessions (spec 003) in process, on SQLite and PostgreSQL, with a dependency-free dev
// server (a small node script) so no registry is needed: every field, the way to `ready`, the
// edge host private to the workspace's keys, a file written through the files API served at
// once, warm reuse, keepalive, stop, the workspace's limit, a version that cannot be previewed
// or whose install fails (the session says why), and bad input.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anotherWorkspace } from '../support/another-workspace.js';
import type { AnotherWorkspace } from '../support/another-workspace.js';
import { edgeGet } from '../support/edge-get.js';
import { expectError } from '../support/expect-error.js';
import { backends, startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';

/** Serves message.txt as it is now, on PORT (no dependencies, so no install). */
const devServer = `import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
createServer((req, res) => res.end(readFileSync('message.txt', 'utf8'))).listen(Number(process.env.PORT), '0.0.0.0');
`;

/** Whether something accepts a TCP connection at host:port within a second. */
function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 1_000 }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('error', () => resolve(false));
  });
}

const iso = expect.stringMatching(/^\d{4}-\d\d-\d\dT/);

describe.each(backends)('REST preview sessions on %s', (backend) => {
  let t: TestBerth;
  let other: AnotherWorkspace;
  const files = (v: string) => `/api/app-versions/${v}/files`;

  async function aVersion(name: string, tree: Record<string, string>): Promise<{ appId: string; versionId: string }> {
    const app = (await t.request('POST', '/api/apps', { body: { name } })).body;
    for (const [path, content] of Object.entries(tree)) {
      const written = await t.request('POST', files(app.defaultVersionId), { body: { path, content } });
      expect(written.status, JSON.stringify(written.body)).toBe(201);
    }
    return { appId: app.id, versionId: app.defaultVersionId };
  }

  async function until(sessionId: string, statuses: string[]): Promise<any> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const got = await t.request('GET', `/api/apps/preview/${sessionId}`);
      expect(got.status).toBe(200);
      if (statuses.includes(got.body.status)) return got.body;
      if (Date.now() > deadline) throw new Error(`session stayed ${got.body.status}: ${JSON.stringify(got.body)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  const hostOf = (url: string) => new URL(url).host;
  const viaEdge = (url: string, key: string | null = t.key, path = '/') =>
    edgeGet(t.berth.edgePort, hostOf(url), path, key ? { authorization: `Bearer ${key}` } : {});

  beforeAll(async () => {
    t = await startTestBerth(backend, { via: 'inject', env: { BERTH_PREVIEW_MAX_PER_WORKSPACE: '2' } });
    other = await anotherWorkspace(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('starts a session, reaches ready, serves it privately on its own host, writes through, reuses, keeps alive and stops', async () => {
    const { appId, versionId } = await aVersion('Preview me', { 'package.json': JSON.stringify({ scripts: { dev: 'node server.mjs' } }), 'server.mjs': devServer, 'message.txt': 'first' });
    const started = await t.request('POST', '/api/app-preview-sessions', { body: { appVersionId: versionId } });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    const id: string = started.body.id;
    expect(started.body).toEqual({
      id: expect.stringMatching(/^appprv_[0-9a-z]{26}$/),
      workspaceId: t.workspaceId,
      appId,
      versionId,
      status: 'hydrating',
      previewUrl: `http://preview---${id.slice('appprv_'.length)}.localhost:${t.berth.edgePort}`,
      error: null,
      metadata: {},
      lastHeartbeatAt: iso,
      createdBy: expect.stringMatching(/^key_/),
      startedAt: iso,
      readyAt: null,
      stoppedAt: null,
      createdAt: iso,
    });

    const ready = await until(id, ['ready', 'failed']);
    expect(ready.error).toBeNull();
    expect(ready).toMatchObject({ status: 'ready', readyAt: iso, metadata: { devServer: 'npm run dev', command: 'npm run dev' } });

    expect(await viaEdge(ready.previewUrl)).toEqual({ status: 200, body: 'first' });
    expect((await viaEdge(ready.previewUrl, null)).status).toBe(401);
    expect((await viaEdge(ready.previewUrl, other.key)).status).toBe(401);

    // A share link of the app lets a browser in without a key, as for a private app.
    const share = await t.request('POST', `/api/v1/workspaces/${t.workspaceId}/apps/${appId}/public-shares`, { body: {} });
    expect(share.status).toBe(201);
    const deadline = Date.now() + 5_000;
    let shared = await viaEdge(ready.previewUrl, null, `/?share=${share.body.token}`);
    while (shared.status !== 302 && Date.now() < deadline) shared = await viaEdge(ready.previewUrl, null, `/?share=${share.body.token}`);
    expect(shared.status).toBe(302);

    expect((await t.request('PATCH', files(versionId), { body: { path: 'message.txt', content: 'second' } })).status).toBe(200);
    expect(await viaEdge(ready.previewUrl)).toEqual({ status: 200, body: 'second' });

    const again = await t.request('POST', '/api/app-preview-sessions', { body: { appVersionId: versionId } });
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ id, status: 'ready' });
    expect(Date.parse(again.body.lastHeartbeatAt)).toBeGreaterThanOrEqual(Date.parse(ready.lastHeartbeatAt));

    const kept = await t.request('POST', `/api/apps/preview/${id}/keepalive`);
    expect(kept.status).toBe(200);
    expect(kept.body).toEqual({ id, status: 'ready' });

    expect((await t.request('DELETE', `/api/apps/preview/${id}`)).body).toEqual({ success: true });
    const stopped = (await t.request('GET', `/api/apps/preview/${id}`)).body;
    expect(stopped).toMatchObject({ status: 'stopped', stoppedAt: iso, error: null });
    expect((await viaEdge(ready.previewUrl)).status).toBe(404);
    expect((await t.request('POST', `/api/apps/preview/${id}/keepalive`)).body).toEqual({ id, status: 'stopped' });
    // A stopped session is not woken: a new one starts.
    const fresh = await t.request('POST', '/api/app-preview-sessions', { body: { appVersionId: versionId } });
    expect(fresh.body.id).not.toBe(id);
    await t.request('DELETE', `/api/apps/preview/${fresh.body.id}`);
  });

  it('takes a deleted app’s preview off the edge at once and stops its dev server', async () => {
    // This dev server answers with an address of its own outside loopback (its namespace's, where
    // it has one) and its port, so the test can dial it directly.
    const whereServer = `import { createServer } from 'node:http';
import { networkInterfaces } from 'node:os';
const own = Object.values(networkInterfaces()).flat().find((a) => a.family === 'IPv4' && !a.internal);
createServer((req, res) => res.end(own.address + ':' + process.env.PORT)).listen(Number(process.env.PORT), '0.0.0.0');
`;
    const { appId, versionId } = await aVersion('Deleted', { 'package.json': JSON.stringify({ scripts: { dev: 'node server.mjs' } }), 'server.mjs': whereServer });
    const session = (await t.request('POST', '/api/app-preview-sessions', { body: { appVersionId: versionId } })).body;
    const ready = await until(session.id, ['ready', 'failed']);
    const served = await viaEdge(ready.previewUrl);
    expect(served.status).toBe(200);
    const [host, port] = [served.body.slice(0, served.body.lastIndexOf(':')), Number(served.body.slice(served.body.lastIndexOf(':') + 1))];
    expect(await reachable(host, port), served.body).toBe(true);
    expect((await t.request('DELETE', `/api/apps/${appId}`)).status).toBe(200);
    expect((await viaEdge(ready.previewUrl)).status).toBe(404);
    expect((await t.request('GET', `/api/apps/preview/${session.id}`)).body).toMatchObject({ status: 'stopped', stoppedAt: iso, error: 'Stopped: the app was deleted' });
    expect(await reachable(host, port)).toBe(false);
    expect((await t.request('DELETE', `/api/apps/preview/${session.id}`)).body).toEqual({ success: true });
  });

  it('fails a version it cannot preview, and one whose install fails, saying why', async () => {
    const none = await aVersion('No package', { 'index.html': '<h1>hi</h1>' });
    const noPackage = (await t.request('POST', '/api/app-preview-sessions', { body: { appVersionId: none.versionId } })).body;
    expect(await until(noPackage.id, ['failed'])).toMatchObject({ status: 'failed', stoppedAt: iso, error: expect.stringContaining('no package.json') });

    const broken = await aVersion('Broken install', {
      'package.json': JSON.stringify({ scripts: { dev: 'node server.mjs' }, dependencies: { missing: 'file:./not-there.tgz' } }),
      'server.mjs': devServer,
    });
    const session = (await t.request('POST', '/api/app-preview-sessions', { body: { appVersionId: broken.versionId } })).body;
    const failed = await until(session.id, ['failed', 'ready']);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/^Installing dependencies failed \(npm install --no-audit --no-fund exited with \d+\): .*not-there\.tgz/);
  });

  it('runs at most BERTH_PREVIEW_MAX_PER_WORKSPACE sessions at once', async () => {
    const tree = { 'package.json': JSON.stringify({ scripts: { dev: 'node server.mjs' } }), 'server.mjs': devServer, 'message.txt': 'x' };
    const a = await aVersion('Limit a', tree);
    const b = await aVersion('Limit b', tree);
    const c = await aVersion('Limit c', tree);
    const first = (await t.request('POST', '/api/app-preview-sessions', { body: { appVersionId: a.versionId } })).body;
    const second = (await t.request('POST', '/api/app-preview-sessions', { body: { appVersionId: b.versionId } })).body;
    const before = await t.berth.store.previewSessions.countLive(t.workspaceId);
    expectError(
      await t.request('POST', '/api/app-preview-sessions', { body: { appVersionId: c.versionId } }),
      409,
      'This workspace already runs 2 preview sessions, the most it may run at once (BERTH_PREVIEW_MAX_PER_WORKSPACE): stop one, or let one go idle, and try again',
    );
    expect(await t.berth.store.previewSessions.countLive(t.workspaceId)).toBe(before);
    // Waking a running one is not a new one.
    expect((await t.request('POST', '/api/app-preview-sessions', { body: { appVersionId: a.versionId } })).body.id).toBe(first.id);
    await t.request('DELETE', `/api/apps/preview/${first.id}`);
    await t.request('DELETE', `/api/apps/preview/${second.id}`);
  });

  it('refuses bad input in the NestJS shape and keeps workspaces apart', async () => {
    const mine = await aVersion('Mine', { 'package.json': '{}' });
    expectError(await t.request('POST', '/api/app-preview-sessions', { body: {} }), 400);
    expectError(await t.request('POST', '/api/app-preview-sessions', { body: { appVersionId: mine.versionId, extra: 1 } }), 400);
    expectError(await t.request('POST', '/api/app-preview-sessions', { body: { appVersionId: '' } }), 400);
    expectError(await t.request('POST', '/api/app-preview-sessions', { body: { appVersionId: 'appver_nope' } }), 404, 'App version not found');
    expectError(await t.request('POST', '/api/app-preview-sessions', { body: { appVersionId: mine.versionId }, key: other.key }), 404, 'App version not found');
    expectError(await t.request('POST', '/api/app-preview-sessions', { body: { appVersionId: mine.versionId }, key: null }), 401);
    expectError(await t.request('GET', '/api/apps/preview/appprv_nope'), 404, 'Preview session not found');
    expectError(await t.request('POST', '/api/apps/preview/appprv_nope/keepalive'), 404, 'Preview session not found');
    expectError(await t.request('DELETE', '/api/apps/preview/appprv_nope'), 404, 'Preview session not found');

    const session = (await t.request('POST', '/api/app-preview-sessions', { body: { appVersionId: mine.versionId } })).body;
    expectError(await t.request('GET', `/api/apps/preview/${session.id}`, { key: other.key }), 404, 'Preview session not found');
    expectError(await t.request('DELETE', `/api/apps/preview/${session.id}`, { key: other.key }), 404, 'Preview session not found');
    expectError(await t.request('POST', `/api/apps/preview/${session.id}/keepalive`, { key: other.key }), 404, 'Preview session not found');
    await until(session.id, ['failed']);
  });
});
