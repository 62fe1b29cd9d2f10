// How long a WebSocket tunnel lives, in process and on workers: a client that half-closes gets
// its end passed on, and if the app never hangs up the tunnel is closed anyway after a grace
// period; a tunnel with no bytes either way is closed after the idle timeout; a tunnel in use
// lives on, and a normal close handshake is not cut short. A closed tunnel no longer counts as
// its app's activity (what keeps a preview session from being stopped as idle).
import { createHash } from 'node:crypto';
import net from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Edge } from '../../src/edge/create-edge.js';
import {
  aTable,
  aTarget,
  anApp,
  edgeModes,
  startEdge,
  startUpstream,
  useEdgeWorkers,
  type Upstream,
} from './helpers.js';

const idleTimeoutMs = 1_000;
const halfOpenMs = 300;

let echo: Upstream;
let wss: WebSocketServer;
/** Accepts upgrades and then never closes, not even when the client ends its side. */
let stubborn: Upstream;
const stubbornSockets: net.Socket[] = [];
const stubbornEnds: net.Socket[] = [];

beforeAll(async () => {
  echo = await startUpstream((_req, res) => res.end('ok'));
  wss = new WebSocketServer({ server: echo.server });
  wss.on('connection', (socket) => socket.on('message', (data) => socket.send(`echo:${String(data)}`)));
  stubborn = await startUpstream((_req, res) => res.end('ok'));
  stubborn.server.on('upgrade', (req, socket: net.Socket) => {
    const accept = createHash('sha1')
      .update(`${String(req.headers['sec-websocket-key'])}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`)
      .digest('base64');
    stubbornSockets.push(socket);
    socket.on('error', () => {});
    socket.on('end', () => stubbornEnds.push(socket));
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: Upgrade\r\nsec-websocket-accept: ${accept}\r\n\r\n`,
    );
  });
});

afterAll(async () => {
  for (const client of wss.clients) client.terminate();
  wss.close();
  for (const socket of stubbornSockets) socket.destroy();
  await Promise.all([echo.close(), stubborn.close()]);
});

function opened(socket: WebSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
}

function closeCode(socket: WebSocket): Promise<number> {
  return new Promise((resolve) => socket.once('close', (code) => resolve(code)));
}

function nextMessage(socket: WebSocket): Promise<string> {
  return new Promise((resolve) => socket.once('message', (data) => resolve(String(data))));
}

/** A raw upgrade through the edge; resolves once the 101 has arrived. */
function rawUpgrade(port: number, host: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () =>
      socket.write(
        `GET / HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
      ),
    );
    socket.once('data', (data: Buffer) => {
      if (data.toString().startsWith('HTTP/1.1 101')) resolve(socket);
      else reject(new Error(`no upgrade: ${data.toString()}`));
    });
    socket.once('error', reject);
  });
}

describe.each(edgeModes)('WebSocket tunnels ($name)', ({ workers }) => {
  let edge: Edge;
  let port: number;

  beforeAll(async () => {
    useEdgeWorkers(workers);
    ({ edge, port } = await startEdge({ tunnelIdleTimeoutMs: idleTimeoutMs, tunnelHalfOpenMs: halfOpenMs }));
    await edge.setRoutes(
      aTable([
        anApp({ slug: 'echo', targets: [aTarget('echo-00001', [echo.port])] }),
        anApp({ slug: 'stubborn', targets: [aTarget('stubborn-00001', [stubborn.port])] }),
      ]),
    );
  });

  afterAll(async () => {
    await edge.close();
  });

  async function openTunnels(): Promise<number> {
    return (await edge.stats()).openTunnels;
  }

  it('passes a client’s half-close on, and closes the tunnel when the app never hangs up', async () => {
    stubbornEnds.length = 0;
    const client = await rawUpgrade(port, 'stubborn.apps.test');
    expect(await openTunnels()).toBe(1);
    expect((await edge.idleTimes()).get('app_stubborn')).toBe(0);
    const gone = new Promise((resolve) => client.once('close', resolve));
    client.end();
    await expect.poll(() => stubbornEnds.length).toBe(1);
    await gone;
    await expect.poll(openTunnels).toBe(0);
    // No longer someone looking: the app's idle time runs again.
    await expect.poll(async () => (await edge.idleTimes()).get('app_stubborn') ?? 0).toBeGreaterThan(0);
  });

  it('keeps a tunnel in use past the idle timeout, echoing both ways, and ends it with a clean close', async () => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/`, { headers: { host: 'echo.apps.test' } });
    await opened(socket);
    const replies: string[] = [];
    // Three idle timeouts of conversation, a message every fraction of one.
    for (let i = 0; i < 9; i++) {
      socket.send(`m${i}`);
      replies.push(await nextMessage(socket));
      await new Promise((resolve) => setTimeout(resolve, idleTimeoutMs / 3));
    }
    expect(replies).toEqual([...Array(9).keys()].map((i) => `echo:m${i}`));
    const code = closeCode(socket);
    socket.close(1000, 'bye');
    expect(await code).toBe(1000);
    await expect.poll(openTunnels).toBe(0);
  });

  it('closes a tunnel with no bytes either way for the idle timeout', async () => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/`, { headers: { host: 'echo.apps.test' } });
    await opened(socket);
    socket.send('once');
    expect(await nextMessage(socket)).toBe('echo:once');
    // Cut, not closed by a handshake: 1006.
    expect(await closeCode(socket)).toBe(1006);
    await expect.poll(openTunnels).toBe(0);
    await expect.poll(async () => (await edge.idleTimes()).get('app_echo') ?? 0).toBeGreaterThan(0);
  });
});
