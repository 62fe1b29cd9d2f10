// edge.close() ends, in process and on workers, whatever its clients and apps do: a keep-alive
// connection, an open WebSocket, an upgrade the app never answers, a client that opened the TLS
// port and never started its handshake, or one that hung up an HTTP/2 connection half-way do
// not hold it; a request in flight gets its answer if the app gives it within the drain time,
// and is cut at the drain time if not. Afterwards no connection and no worker process is left.
// edge.stopAccepting(), the first step of Berth's shutdown: both ports refuse new connections,
// idle keep-alive connections close and HTTP/2 clients get a GOAWAY, while a request in flight
// is still answered, and so is the first request of a connection accepted just before.
// edge.requestsAnswered(), on which Berth's shutdown waits before it stops the instances: it
// counts requests in flight in every process serving traffic, and not open WebSockets.
import fs from 'node:fs';
import http2 from 'node:http2';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { WebSocket, WebSocketServer } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Edge, EdgeOptions } from '../../src/edge/create-edge.js';
import { makeSelfSigned } from '../support/self-signed.js';
import {
  aTable,
  aTarget,
  anApp,
  call,
  edgeModes,
  startEdge,
  startUpstream,
  workerPids,
  type Upstream,
} from './helpers.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-edge-shutdown-'));
// Only `secure` is served over TLS: plain requests to the other apps are not redirected.
const { certFile, keyFile } = makeSelfSigned(dir, 'secure', 'secure.apps.test', 'DNS:secure.apps.test');
/** Longer than the test's own timeout: a close() that waited for it would fail the test. */
const foreverMs = 10 * 60_000;

let app: Upstream;
let wss: WebSocketServer;
const releases: (() => void)[] = [];
/** Accepts connections and never says a word; what it accepted, so a test can see them closed. */
let silent: net.Server;
let silentPort: number;
const silentSockets = new Set<net.Socket>();

beforeAll(async () => {
  app = await startUpstream((req, res) => {
    if (req.url === '/slow') releases.push(() => res.end('late'));
    else res.end('ok');
  });
  wss = new WebSocketServer({ server: app.server });
  wss.on('connection', (socket) => socket.on('message', (data) => socket.send(`echo:${String(data)}`)));
  silent = net.createServer((socket) => {
    silentSockets.add(socket);
    // Reads (and ignores) what comes, so it sees the edge hang up.
    socket.resume();
    socket.on('error', () => {});
    socket.once('close', () => silentSockets.delete(socket));
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silentPort = (silent.address() as net.AddressInfo).port;
});

afterAll(async () => {
  for (const client of wss.clients) client.terminate();
  wss.close();
  await app.close();
  for (const socket of silentSockets) socket.destroy();
  await new Promise((resolve) => silent.close(resolve));
  fs.rmSync(dir, { recursive: true, force: true });
});

function closed(socket: { once(event: 'close', listener: () => void): unknown }): Promise<void> {
  return new Promise((resolve) => socket.once('close', () => resolve()));
}

/** How a new TCP connection to the port ends: 'connected', or the error code. */
function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

function connected(socket: net.Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
}

describe.each(edgeModes)('edge.close() ($name)', ({ workers }) => {
  async function anEdge(options: Partial<EdgeOptions>): Promise<{ edge: Edge; port: number; tlsPort: number }> {
    const { edge, port } = await startEdge({
      workers,
      certificates: {
        dir: fs.mkdtempSync(path.join(dir, 'state-')),
        acme: null,
        operator: { certPem: fs.readFileSync(certFile, 'utf8'), keyPem: fs.readFileSync(keyFile, 'utf8') },
        onStatus: async () => {},
      },
      ...options,
    });
    const tlsPort = await edge.listenTls(0, '127.0.0.1');
    await edge.setRoutes(
      aTable([
        anApp({ slug: 'web', targets: [aTarget('web-00001', [app.port])] }),
        anApp({ slug: 'secure', targets: [aTarget('secure-00001', [app.port])] }),
        anApp({ slug: 'mute', targets: [aTarget('mute-00001', [silentPort])] }),
      ]),
    );
    return { edge, port, tlsPort };
  }

  it('does not wait for idle connections, WebSockets, pending upgrades or abandoned handshakes, and leaves none open', async () => {
    const { edge, port, tlsPort } = await anEdge({ drainTimeoutMs: foreverMs });
    const before = workerPids().length;

    // A keep-alive connection, idle after one exchange.
    const keptAlive = net.connect(port, '127.0.0.1');
    await connected(keptAlive);
    const answered = new Promise<string>((resolve) =>
      keptAlive.once('data', (data: Buffer) => resolve(data.toString())),
    );
    keptAlive.write('GET / HTTP/1.1\r\nHost: web.apps.test\r\n\r\n');
    expect(await answered).toMatch(/^HTTP\/1\.1 200/);

    // An open WebSocket, and one the app never answers.
    const socket = new WebSocket(`ws://127.0.0.1:${port}/`, { headers: { host: 'web.apps.test' } });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    socket.send('hi');
    expect(await new Promise<string>((resolve) => socket.once('message', (data) => resolve(String(data))))).toBe(
      'echo:hi',
    );
    const unanswered = new WebSocket(`ws://127.0.0.1:${port}/`, { headers: { host: 'mute.apps.test' } });
    unanswered.on('error', () => {});
    await expect.poll(() => silentSockets.size).toBe(1);

    // A client on the TLS port that never starts its handshake.
    const mute = net.connect(tlsPort, '127.0.0.1');
    mute.on('error', () => {});
    await connected(mute);

    // A TLS client that hangs up once its side of the handshake is done, and an HTTP/2 client that half-closes after a request.
    await new Promise<void>((resolve) => {
      const hasty = tls.connect({
        host: '127.0.0.1',
        port: tlsPort,
        servername: 'secure.apps.test',
        rejectUnauthorized: false,
        ALPNProtocols: ['http/1.1'],
      });
      hasty.once('secureConnect', () => {
        hasty.destroy();
        resolve();
      });
    });
    let h2Socket: tls.TLSSocket | null = null;
    const session = http2.connect(`https://secure.apps.test:${tlsPort}`, {
      createConnection: () =>
        (h2Socket = tls.connect({
          host: '127.0.0.1',
          port: tlsPort,
          servername: 'secure.apps.test',
          rejectUnauthorized: false,
          ALPNProtocols: ['h2'],
        })),
    });
    session.on('error', () => {});
    const stream = session.request({ ':path': '/' });
    stream.resume();
    await new Promise((resolve) => stream.once('end', resolve));
    (h2Socket as tls.TLSSocket | null)?.end();

    const gone = [closed(keptAlive), closed(socket), closed(unanswered), closed(mute)];
    await edge.close();
    await Promise.all(gone);
    expect(socket.readyState).toBe(WebSocket.CLOSED);
    await expect.poll(() => wss.clients.size).toBe(0);
    await expect.poll(() => silentSockets.size).toBe(0);
    expect(workerPids().length).toBe(before - workers);
    session.destroy();
  });

  it('stops accepting first: new connections are refused, idle ones closed, a request in flight answered', async () => {
    const { edge, port, tlsPort } = await anEdge({ drainTimeoutMs: 5_000 });
    const before = workerPids().length;
    const keptAlive = net.connect(port, '127.0.0.1');
    keptAlive.on('error', () => {});
    await connected(keptAlive);
    const answered = new Promise<string>((resolve) => keptAlive.once('data', (data: Buffer) => resolve(data.toString())));
    keptAlive.write('GET / HTTP/1.1\r\nHost: web.apps.test\r\n\r\n');
    expect(await answered).toMatch(/^HTTP\/1\.1 200/);
    const session = http2.connect(`https://secure.apps.test:${tlsPort}`, {
      createConnection: () =>
        tls.connect({ host: '127.0.0.1', port: tlsPort, servername: 'secure.apps.test', rejectUnauthorized: false, ALPNProtocols: ['h2'] }),
    });
    session.on('error', () => {});
    const goaway = new Promise<void>((resolve) => session.once('goaway', () => resolve()));
    const stream = session.request({ ':path': '/' });
    stream.resume();
    await new Promise((resolve) => stream.once('end', resolve));
    const slow = call(port, { host: 'web.apps.test', path: '/slow' });
    await expect.poll(() => releases.length).toBe(1);
    const idleGone = [closed(keptAlive), closed(session)];
    // Accepted just before, its request still on its way (in process, so surely accepted by now).
    const early = workers === 0 ? net.connect(port, '127.0.0.1') : null;
    if (early !== null) {
      await connected(early);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    await edge.stopAccepting();
    expect(await tryConnect(port)).toBe('ECONNREFUSED');
    expect(await tryConnect(tlsPort)).toBe('ECONNREFUSED');
    await goaway;
    await Promise.all(idleGone);
    if (early !== null) {
      let reply = '';
      early.on('data', (data: Buffer) => (reply += data.toString()));
      early.write('GET / HTTP/1.1\r\nHost: web.apps.test\r\n\r\n');
      await closed(early);
      const [head, body] = reply.split('\r\n\r\n');
      expect(head).toMatch(/^HTTP\/1\.1 200 /);
      expect(head?.toLowerCase().split('\r\n')).toContain('connection: close');
      expect(body).toBe('ok');
    }
    // Still in flight: the app answers now, and the client gets it.
    releases.shift()?.();
    expect(await slow).toMatchObject({ status: 200, body: 'late' });
    await edge.close();
    expect(workerPids().length).toBe(before - workers);
  });

  it('lets a request in flight finish within the drain time, then cuts one the app never answers', async () => {
    const { edge, port } = await anEdge({ drainTimeoutMs: 3_000 });
    const before = workerPids().length;
    const slow = call(port, { host: 'web.apps.test', path: '/slow' });
    const stuck = call(port, { host: 'mute.apps.test', path: '/' }).then(
      () => 'answered',
      () => 'cut',
    );
    await expect.poll(() => releases.length).toBe(1);
    await expect.poll(() => silentSockets.size).toBe(1);

    const closing = edge.close();
    // Draining: the slow app answers now, a moment after close() began.
    releases.shift()?.();
    expect(await slow).toMatchObject({ status: 200, body: 'late' });
    await closing;
    expect(await stuck).toBe('cut');
    await expect.poll(() => silentSockets.size).toBe(0);
    expect(workerPids().length).toBe(before - workers);
  });

  it('requestsAnswered() waits for requests in flight (not for WebSockets) and gives up at its deadline', async () => {
    const { edge, port } = await anEdge({ drainTimeoutMs: 5_000 });
    const socket = new WebSocket(`ws://127.0.0.1:${port}/`, { headers: { host: 'web.apps.test' } });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    expect(await edge.requestsAnswered(Date.now() + 2_000)).toBe(true);
    const slow = call(port, { host: 'web.apps.test', path: '/slow' });
    await expect.poll(() => releases.length).toBe(1);
    await edge.stopAccepting();

    const startedAt = Date.now();
    expect(await edge.requestsAnswered(startedAt + 300)).toBe(false);
    expect(Date.now() - startedAt).toBeLessThan(2_000);
    const answered = edge.requestsAnswered(Date.now() + 5_000);
    releases.shift()?.();
    expect(await slow).toMatchObject({ status: 200, body: 'late' });
    expect(await answered).toBe(true);
    socket.on('error', () => {});
    await edge.close();
  });
});
