// A live preview end to end (spec 003): a Vite + React project written into an app version
// through the files API, a preview session started and polled until ready, the page and a
// transformed module fetched through the edge with a key, a file changed through the files API
// and the change served without a restart (and announced on the HMR WebSocket, through the
// edge), a preview whose install fails saying why, a session stopped once idle; then the same
// version, with the change made during the preview, built, deployed and served live.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { edgeGet } from '../support/edge-get.js';
import { appWithFiles, previewProjectFiles } from '../support/preview-project.js';
import { startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';

const idleMs = 6_000;

describe('a live preview of a Vite + React app version', () => {
  let t: TestBerth;
  let versionId = '';
  let appId = '';
  let session: any = null;
  const host = () => new URL(session.previewUrl).host;
  const get = (path: string, key: string | null = t.key) => edgeGet(t.berth.edgePort, host(), path, key ? { authorization: `Bearer ${key}` } : {});

  /** Polls the session (keeping it alive, as a client does) until it reaches one of `statuses`. */
  async function until(id: string, statuses: string[], keepalive = true, timeoutMs = 240_000): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (keepalive) await t.request('POST', `/api/apps/preview/${id}/keepalive`);
      const got = await t.request('GET', `/api/apps/preview/${id}`);
      if (statuses.includes(got.body.status)) return got.body;
      if (Date.now() > deadline) throw new Error(`session stayed ${got.body.status}: ${JSON.stringify(got.body)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  beforeAll(async () => {
    t = await startTestBerth('sqlite', { env: { BERTH_PREVIEW_IDLE_MS: String(idleMs) } });
    ({ appId, versionId } = await appWithFiles(t.request, 'Vite preview', previewProjectFiles()));
  });
  afterAll(async () => t?.close());

  it('installs, starts and serves the dev server on its own private host', async () => {
    const started = await t.request('POST', '/api/app-preview-sessions', { body: { appVersionId: versionId } });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    expect(started.body.status).toBe('hydrating');
    session = await until(started.body.id, ['ready', 'failed']);
    expect(session, JSON.stringify(session)).toMatchObject({ status: 'ready', error: null, metadata: { devServer: 'Vite' } });

    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<div id="root"></div>');
    expect(page.body).toContain('/@vite/client');
    expect((await get('/', null)).status).toBe(401);
    const app = await get('/src/App.jsx');
    expect(app.status).toBe(200);
    expect(app.body).toContain('Hello from the preview');
  }, 300_000);

  it('serves a file changed through the files API without a restart, and tells the HMR socket', async () => {
    const socket = new WebSocket(`ws://127.0.0.1:${t.berth.edgePort}/`, 'vite-hmr', { headers: { host: host(), authorization: `Bearer ${t.key}` } });
    const messages: string[] = [];
    socket.on('message', (data) => messages.push(String(data)));
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    const waitFor = async (test: (m: string) => boolean) => {
      const deadline = Date.now() + 15_000;
      while (!messages.some(test) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      return messages.find(test);
    };
    expect(await waitFor((m) => m.includes('"connected"'))).toBeDefined();

    const patched = await t.request('PATCH', `/api/app-versions/${versionId}/files`, { body: { path: 'src/App.jsx', content: 'export default function App() { return <h1>Hello again</h1>; }\n' } });
    expect(patched.status).toBe(200);
    expect(await waitFor((m) => m.includes('"update"') && m.includes('/src/App.jsx'))).toBeDefined();
    const changed = await get('/src/App.jsx');
    expect(changed.status).toBe(200);
    expect(changed.body).toContain('Hello again');
    expect(changed.body).not.toContain('Hello from the preview');
    socket.close();
    // The same dev server: no restart happened.
    expect((await t.request('GET', `/api/apps/preview/${session.id}`)).body).toMatchObject({ status: 'ready', readyAt: session.readyAt });
  }, 60_000);

  it('says why when the install fails', async () => {
    const files = previewProjectFiles();
    const pkg = JSON.parse(files['package.json'] ?? '{}');
    pkg.dependencies['berth-no-such-package-zz9'] = '1.0.0';
    files['package.json'] = JSON.stringify(pkg, null, 2);
    delete files['package-lock.json'];
    const broken = await appWithFiles(t.request, 'Broken preview', files);
    const started = await t.request('POST', '/api/app-preview-sessions', { body: { appVersionId: broken.versionId } });
    const failed = await until(started.body.id, ['failed', 'ready']);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/^Installing dependencies failed \(npm install --no-audit --no-fund exited with \d+\): .*(E404|404).*berth-no-such-package-zz9/);
  }, 300_000);

  it('stops a session that gets no keepalive for BERTH_PREVIEW_IDLE_MS', async () => {
    await t.request('POST', `/api/apps/preview/${session.id}/keepalive`);
    const stopped = await until(session.id, ['stopped'], false, idleMs + 15_000);
    expect(stopped).toMatchObject({ status: 'stopped', stoppedAt: expect.any(String), error: `Stopped after ${idleMs} ms without a keepalive or a request to its preview URL (BERTH_PREVIEW_IDLE_MS)` });
    expect(Date.parse(stopped.stoppedAt) - Date.parse(stopped.lastHeartbeatAt)).toBeGreaterThanOrEqual(idleMs);
    expect((await get('/')).status).toBe(404);
  }, 60_000);

  it('builds the previewed version, deploys the build and serves it live, with the change made in the preview', async () => {
    const build = await t.request('POST', `/api/apps/${appId}/builds`);
    expect(build.status, JSON.stringify(build.body)).toBe(201);
    const built = await pollUntil(`/api/apps/${appId}/builds/${build.body.id}`, ['completed', 'failed'], 240_000);
    expect(built, JSON.stringify(built)).toMatchObject({ status: 'completed', versionId });
    const deploy = await t.request('POST', `/api/apps/${appId}/deploy`);
    expect(deploy.status, JSON.stringify(deploy.body)).toBe(201);
    const done = await pollUntil(`/api/apps/${appId}/deploys/${deploy.body.id}`, ['completed', 'failed'], 60_000);
    expect(done, JSON.stringify(done)).toMatchObject({ status: 'completed', buildId: build.body.id });
    expect((await t.request('GET', `/api/apps/${appId}`)).body.status).toBe('live');

    const live = new URL(done.productionUrl).host;
    const auth = { authorization: `Bearer ${t.key}` };
    const home = await edgeGet(t.berth.edgePort, live, '/', auth);
    expect(home.status).toBe(200);
    const script = /src="(\/assets\/index-[\w-]+\.js)"/.exec(home.body)?.[1];
    expect(script, home.body).toBeDefined();
    const bundle = await edgeGet(t.berth.edgePort, live, script ?? '', auth);
    expect(bundle.body).toContain('Hello again');
    expect(bundle.body).not.toContain('Hello from the preview');
  }, 300_000);

  async function pollUntil(urlPath: string, statuses: string[], timeoutMs: number): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const got = (await t.request('GET', urlPath)).body;
      if (statuses.includes(got.status) || Date.now() > deadline) return got;
      await new Promise((r) => setTimeout(r, 300));
    }
  }
});
