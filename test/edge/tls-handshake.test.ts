// A client that opens the edge's TLS port and stalls before its handshake is done (silent, half
// a ClientHello, or one trickled a byte at a time) is hung up on after the handshake timeout, in process and on workers,
// instead of holding a socket for Node's default 2 minutes; a client that finishes its
// handshake keeps its connection past that timeout.
import net from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Edge } from '../../src/edge/create-edge.js';
import { edgeModes, startTlsFixture, useEdgeWorkers, type TlsFixture } from './helpers.js';

const handshakeTimeoutMs = 300;
/** Far under Node's default (120 s), far over the timeout: a socket still open then was not hung up on. */
const boundMs = 5_000;

let fixture: TlsFixture;

beforeAll(async () => {
  fixture = await startTlsFixture('handshake');
});

afterAll(() => fixture.close());

/** 'closed' once the edge hangs up on `socket`, 'open' if it has not within the bound. */
function hungUp(socket: net.Socket): Promise<'closed' | 'open'> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('open'), boundMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve('closed');
    });
  });
}

async function connect(port: number): Promise<net.Socket> {
  const socket = net.connect(port, '127.0.0.1');
  socket.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return socket;
}

describe.each(edgeModes)('TLS handshake timeout ($name)', ({ workers }) => {
  let edge: Edge;
  let tlsPort: number;

  beforeAll(async () => {
    useEdgeWorkers(workers);
    ({ edge, tlsPort } = await fixture.startEdge({ tlsHandshakeTimeoutMs: handshakeTimeoutMs }));
  });

  afterAll(() => edge.close());

  it('hangs up on a client that connects and never starts its handshake', async () => {
    const socket = await connect(tlsPort);
    const outcome = await hungUp(socket);
    socket.destroy();
    expect(outcome).toBe('closed');
  });

  it('hangs up on a client that stalls half-way through its ClientHello', async () => {
    const socket = await connect(tlsPort);
    // A handshake record header announcing 512 bytes, then the first few of them.
    socket.write(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc]));
    const outcome = await hungUp(socket);
    socket.destroy();
    expect(outcome).toBe('closed');
  });

  it('hangs up on a client that trickles its ClientHello a byte at a time (the timeout counts from the connection, not from the last byte)', async () => {
    const socket = await connect(tlsPort);
    socket.write(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00]));
    const drip = setInterval(() => socket.write(Buffer.from([0x01])), handshakeTimeoutMs / 6);
    const outcome = await hungUp(socket);
    clearInterval(drip);
    socket.destroy();
    expect(outcome).toBe('closed');
  });

  it('keeps a connection whose handshake is done past the timeout, and serves it', async () => {
    const socket = tls.connect({ host: '127.0.0.1', port: tlsPort, servername: 'web.apps.test', rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] });
    await new Promise<void>((resolve, reject) => {
      socket.once('secureConnect', resolve);
      socket.once('error', reject);
    });
    await new Promise((resolve) => setTimeout(resolve, handshakeTimeoutMs * 3));
    expect(socket.destroyed).toBe(false);
    const answer = new Promise<string>((resolve) => socket.once('data', (data: Buffer) => resolve(data.toString())));
    socket.write('GET / HTTP/1.1\r\nHost: web.apps.test\r\n\r\n');
    expect(await answer).toMatch(/^HTTP\/1\.1 200/);
    socket.destroy();
  });
});
