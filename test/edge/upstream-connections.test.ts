// The edge's own keep-alive connections to apps, over real sockets: connections are reused,
// stale ones never fail a request, and every way an HTTP/1.1 response can be framed (length,
// chunked, until close, HEAD, 1xx first) or broken reaches the client correctly.
import { createHash } from 'node:crypto';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Edge } from '../../src/edge/create-edge.js';
import { aTable, aTarget, anApp, call, startEdge, startUpstream, type Upstream } from './helpers.js';

/** A raw TCP "app" that answers every request with `reply` (for framings node:http would not send). */
async function rawApp(reply: (socket: Socket) => void): Promise<{ port: number; server: TcpServer }> {
  const server = createTcpServer((socket) => {
    let head = '';
    socket.on('data', (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (head.includes('\r\n\r\n')) {
        head = '';
        reply(socket);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, server };
}

let edge: Edge;
let port: number;
let echo: Upstream;
let connections = 0;
let shortLived: Upstream;
const raws: TcpServer[] = [];

beforeAll(async () => {
  echo = await startUpstream((req, res) => {
    const hash = createHash('sha256');
    let bytes = 0;
    req.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      bytes += chunk.length;
    });
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ method: req.method, bytes, sha256: hash.digest('hex'), te: req.headers['transfer-encoding'] ?? null }));
    });
  });
  echo.server.on('connection', () => (connections += 1));
  shortLived = await startUpstream((_req, res) => res.end('fresh'));
  shortLived.server.keepAliveTimeout = 50;

  const untilClose = await rawApp((socket) => socket.end('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the connection closes'));
  const earlyHints = await rawApp((socket) =>
    socket.write('HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfinal'),
  );
  const garbage = await rawApp((socket) => socket.end('this is not HTTP\r\n\r\n'));
  const cutShort = await rawApp((socket) => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part'));
  // A second response nobody asked for, in the same write as the first: it must never answer the next request.
  const extra = await rawApp((socket) =>
    socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nforged'),
  );
  raws.push(untilClose.server, earlyHints.server, garbage.server, cutShort.server, extra.server);

  ({ edge, port } = await startEdge());
  await edge.setRoutes(
    aTable([
      anApp({ slug: 'echo', targets: [aTarget('echo-00001', [echo.port])] }),
      anApp({ slug: 'short', targets: [aTarget('short-00001', [shortLived.port])] }),
      anApp({ slug: 'until-close', targets: [aTarget('until-close-00001', [untilClose.port])] }),
      anApp({ slug: 'hints', targets: [aTarget('hints-00001', [earlyHints.port])] }),
      anApp({ slug: 'garbage', targets: [aTarget('garbage-00001', [garbage.port])] }),
      anApp({ slug: 'cut', targets: [aTarget('cut-00001', [cutShort.port])] }),
      anApp({ slug: 'extra', targets: [aTarget('extra-00001', [extra.port])] }),
    ]),
  );
});

afterAll(async () => {
  await edge.close();
  await Promise.all([echo.close(), shortLived.close()]);
  await Promise.all(raws.map((server) => new Promise((resolve) => server.close(resolve))));
});

const host = (slug: string) => `${slug}.apps.test`;

describe('connections to apps', () => {
  it('reuses one connection for requests that follow one another, HEAD included', async () => {
    const before = connections;
    for (let i = 0; i < 20; i++) {
      const method = i % 5 === 4 ? 'HEAD' : 'GET';
      const reply = await call(port, { host: host('echo'), method });
      expect(reply.status).toBe(200);
      if (method === 'HEAD') expect(reply.body).toBe('');
      else expect(JSON.parse(reply.body)).toMatchObject({ method: 'GET', bytes: 0 });
    }
    expect(connections - before).toBe(1);
  });

  it('never fails a request on a connection the app has closed for being idle', async () => {
    for (let i = 0; i < 8; i++) {
      const reply = await call(port, { host: host('short') });
      expect(reply).toMatchObject({ status: 200, body: 'fresh' });
      await new Promise((resolve) => setTimeout(resolve, 60 + (i % 3) * 10));
    }
  });

  it.each([
    ['a length-delimited', { 'content-length': String(1 << 20) }, null],
    ['a chunked', { 'transfer-encoding': 'chunked' }, 'chunked'],
  ])('streams %s request body of 1 MiB to the app intact', async (_name, headers, te) => {
    const body = 'x'.repeat(1 << 20);
    const reply = await call(port, { host: host('echo'), method: 'POST', headers, body });
    expect(JSON.parse(reply.body)).toEqual({ method: 'POST', bytes: 1 << 20, sha256: createHash('sha256').update(body).digest('hex'), te });
  });
});

describe('response framings', () => {
  it('relays a response that ends when the app closes the connection', async () => {
    expect(await call(port, { host: host('until-close') })).toMatchObject({ status: 200, body: 'until the connection closes' });
  });

  it('skips a 103 Early Hints and relays the final response', async () => {
    expect(await call(port, { host: host('hints') })).toMatchObject({ status: 200, body: 'final' });
  });

  it('never hands bytes an app sent after its response to the next request', async () => {
    for (let i = 0; i < 3; i++) expect(await call(port, { host: host('extra') })).toMatchObject({ status: 200, body: 'ok' });
  });

  it('answers 502 when the app speaks something other than HTTP', async () => {
    expect((await call(port, { host: host('garbage') })).status).toBe(502);
  });

  it('cuts the client off when the app dies in the middle of a body, and keeps serving', async () => {
    await expect(call(port, { host: host('cut') })).rejects.toThrow();
    expect((await call(port, { host: host('echo') })).status).toBe(200);
  });
});
