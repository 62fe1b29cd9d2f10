// A preview someone is looking at is not stopped as idle (spec 003, BERTH_PREVIEW_IDLE_MS): requests
// through the edge to its host, and an open WebSocket to it (a dev server's hot reload), count as
// activity like the API's keepalive; once they stop, the session is stopped. On SQLite with the edge
// in Berth's process, and on PostgreSQL with one edge worker process (its idle times cross the IPC).
// The dev server starts from a script marked executable through the files API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { edgeGet } from '../support/edge-get.js';
import { backends, startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';

const idleMs = 1_500;

/** Answers `hello` and accepts WebSocket upgrades (kept open, silent), like a dev server's HMR socket. */
const devServer = `import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
const server = createServer((req, res) => res.end('hello'));
server.on('upgrade', (req, socket) => {
  const accept = createHash('sha1').update(req.headers['sec-websocket-key'] + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
  socket.write('HTTP/1.1 101 Switching Protocols\\r\\nupgrade: websocket\\r\\nconnection: Upgrade\\r\\nsec-websocket-accept: ' + accept + '\\r\\n\\r\\n');
  socket.on('error', () => {});
  socket.on('end', () => socket.end());
});
server.listen(Number(process.env.PORT), '0.0.0.0');
`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(backends)('preview sessions kept alive by edge traffic on %s', (backend) => {
  let t: TestBerth;

  async function session(id: string): Promise<any> {
    const got = await t.request('GET', `/api/apps/preview/${id}`);
    expect(got.status).toBe(200);
    return got.body;
  }

  async function until(id: string, statuses: string[], timeoutMs: number): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const got = await session(id);
      if (statuses.includes(got.status)) return got;
      if (Date.now() > deadline) throw new Error(`session stayed ${got.status}: ${JSON.stringify(got)}`);
      await sleep(100);
    }
  }

  /** A ready session of a fresh app; its readyAt and lastHeartbeatAt are where its idle time starts. */
  async function readySession(name: string): Promise<any> {
    const app = (await t.request('POST', '/api/apps', { body: { name } })).body;
    const files = `/api/app-versions/${app.defaultVersionId}/files`;
    for (const [path, content] of Object.entries({ 'package.json': JSON.stringify({ scripts: { dev: './bin/dev.sh' } }), 'server.mjs': devServer })) {
      expect((await t.request('POST', files, { body: { path, content } })).status).toBe(201);
    }
    // The dev script is a file marked executable (Berth's addition): the preview's tree keeps the bit.
    expect((await t.request('POST', files, { body: { path: 'bin/dev.sh', content: '#!/bin/sh\nexec node server.mjs\n', executable: true } })).status).toBe(201);
    const started = await t.request('POST', '/api/app-preview-sessions', { body: { appVersionId: app.defaultVersionId } });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    return until(started.body.id, ['ready', 'failed'], 60_000);
  }

  beforeAll(async () => {
    t = await startTestBerth(backend, {
      via: 'inject',
      env: { BERTH_PREVIEW_IDLE_MS: String(idleMs), BERTH_EDGE_WORKERS: backend === 'postgres' ? '1' : '0' },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('keeps a session whose preview URL gets requests, with no keepalive, and stops it once they stop', async () => {
    const ready = await readySession('Busy preview');
    expect(ready.status, JSON.stringify(ready)).toBe('ready');
    const host = new URL(ready.previewUrl).host;
    const auth = { authorization: `Bearer ${t.key}` };
    // Three idle times of page loads, and not one keepalive.
    const until3 = Date.now() + 3 * idleMs;
    while (Date.now() < until3) {
      const page = await edgeGet(t.berth.edgePort, host, '/', auth);
      expect(page).toEqual({ status: 200, body: 'hello' });
      await sleep(200);
    }
    const still = await session(ready.id);
    expect(still).toMatchObject({ status: 'ready', stoppedAt: null, error: null });
    // The edge wrote nothing per request: the keepalive time is the one the session had.
    expect(still.lastHeartbeatAt).toBe(ready.lastHeartbeatAt);

    const stopped = await until(ready.id, ['stopped'], idleMs + 10_000);
    expect(stopped.error).toBe(`Stopped after ${idleMs} ms without a keepalive or a request to its preview URL (BERTH_PREVIEW_IDLE_MS)`);
    // The row says stopped first; the edge's workers then forget the host (a message each) and the dev server goes.
    await expect.poll(async () => (await edgeGet(t.berth.edgePort, host, '/', auth)).status, { timeout: 10_000, interval: 100 }).toBe(404);
  }, 90_000);

  it('keeps a session while a WebSocket to its preview URL is open (hot reload), and stops it once it closes', async () => {
    const ready = await readySession('Watched preview');
    expect(ready.status, JSON.stringify(ready)).toBe('ready');
    const host = new URL(ready.previewUrl).host;
    const socket = new WebSocket(`ws://127.0.0.1:${t.berth.edgePort}/`, { headers: { host, authorization: `Bearer ${t.key}` } });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    // A tab left open: the socket stays, silent, for three idle times.
    await sleep(3 * idleMs);
    expect(await session(ready.id)).toMatchObject({ status: 'ready', stoppedAt: null });
    // The tab closes (the silent server answers no close frame, so the connection just drops).
    socket.terminate();

    const stopped = await until(ready.id, ['stopped'], idleMs + 10_000);
    expect(stopped.error).toMatch(/without a keepalive or a request to its preview URL/);
  }, 90_000);
});
