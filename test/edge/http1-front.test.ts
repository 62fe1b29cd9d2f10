// The edge's own HTTP/1.x server side, spoken to over raw sockets: pipelining, HTTP/1.0,
// HEAD, chunked request bodies, 100-continue, half-closed clients, and bad or oversized
// requests, which get 400/431 instead of reaching an app.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Edge } from '../../src/edge/create-edge.js';
import { aTable, aTarget, anApp, startEdge, startUpstream, type Upstream } from './helpers.js';
import { edgeModes, useEdgeWorkers } from './helpers.js';

let app: Upstream;
let edge: Edge;
let port: number;

describe.each(edgeModes)('HTTP/1 front ($name)', ({ workers }) => {
  beforeAll(() => useEdgeWorkers(workers));

  beforeAll(async () => {
    app = await startUpstream((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString();
        if (req.url === '/hops') {
          // End-to-end headers around hop-by-hop ones; Node adds Date, Connection, Keep-Alive and Transfer-Encoding.
          res.writeHead(200, ['x-first', '1', 'Proxy-Authenticate', 'Basic', 'x-second', ' 2 ', 'Trailer', 'x-t', 'Date', 'Fri, 04 Dec 2026 21:00:00 GMT']);
          res.write('a');
          res.end('b');
          return;
        }
        if (req.url === '/stream') {
          // No length: the edge must frame it (chunked for 1.1, close-delimited for 1.0).
          res.write('part one,');
          res.end('part two');
          return;
        }
        res.setHeader('content-type', 'text/plain');
        res.end(`${req.method} ${req.url} body=${body}`);
      });
    });
    ({ edge, port } = await startEdge());
    await edge.setRoutes(aTable([anApp({ slug: 'web', targets: [aTarget('web-00001', [app.port])] })]));
  });

  afterAll(async () => {
    await edge.close();
    await app.close();
  });

  /** Sends raw bytes, then collects everything until the edge closes the connection (or `ms` pass). */
  function exchange(bytes: string | string[], options: { halfClose?: boolean; ms?: number } = {}): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1');
      let received = '';
      const timer = setTimeout(() => {
        socket.destroy();
        resolve(received);
      }, options.ms ?? 2000);
      socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
      socket.on('error', reject);
      socket.on('close', () => {
        clearTimeout(timer);
        resolve(received);
      });
      socket.on('connect', async () => {
        for (const part of Array.isArray(bytes) ? bytes : [bytes]) {
          socket.write(part);
          await new Promise((r) => setTimeout(r, 20));
        }
        if (options.halfClose) socket.end();
      });
    });
  }

  const get = (path: string, extra = '') => `GET ${path} HTTP/1.1\r\nHost: web.apps.test\r\n${extra}\r\n`;

  function statusLines(text: string): string[] {
    return [...text.matchAll(/HTTP\/1\.1 \d{3} [A-Za-z ]+?\r\n/g)].map((m) => m[0].trim());
  }

  describe('HTTP/1 front', () => {
    it("passes the app's end-to-end header lines on as sent, in order, without its hop-by-hop ones, framing the body itself", async () => {
      const text = await exchange(get('/hops', 'Connection: close\r\n'));
      const [head = '', body = ''] = text.split('\r\n\r\n');
      const lines = head.split('\r\n');
      expect(lines[0]).toBe('HTTP/1.1 200 OK');
      expect(lines.slice(1, 4)).toEqual(['x-first: 1', 'x-second:  2 ', 'Date: Fri, 04 Dec 2026 21:00:00 GMT']);
      expect(lines.filter((l) => /^transfer-encoding:/i.test(l))).toEqual(['transfer-encoding: chunked']);
      expect(lines.filter((l) => /^(proxy-authenticate|trailer|keep-alive|date):/i.test(l))).toEqual(['Date: Fri, 04 Dec 2026 21:00:00 GMT']);
      expect(lines.filter((l) => /^connection:/i.test(l))).toEqual(['connection: close']);
      expect(body).toBe('1\r\na\r\n1\r\nb\r\n0');
    });

    it('answers pipelined requests in order on one connection', async () => {
      const text = await exchange(get('/one') + get('/two') + get('/three', 'Connection: close\r\n'));
      expect(statusLines(text)).toEqual(['HTTP/1.1 200 OK', 'HTTP/1.1 200 OK', 'HTTP/1.1 200 OK']);
      const bodies = [...text.matchAll(/GET (\/\w+) body=/g)].map((m) => m[1]);
      expect(bodies).toEqual(['/one', '/two', '/three']);
      expect(text).toMatch(/connection: close/i);
    });

    it('keeps an HTTP/1.1 connection open and closes an HTTP/1.0 one', async () => {
      const kept = await exchange(get('/a'), { ms: 300 });
      expect(kept).toMatch(/^HTTP\/1\.1 200 OK/);
      expect(kept).not.toMatch(/connection: close/i);
      const closed = await exchange('GET /b HTTP/1.0\r\nHost: web.apps.test\r\n\r\n');
      expect(closed).toMatch(/^HTTP\/1\.1 200 OK/);
      expect(closed).toMatch(/connection: close/i);
      expect(closed).toMatch(/GET \/b body=$/);
    });

    it('frames an unframed app response as chunked for 1.1 and by closing for 1.0', async () => {
      const chunked = await exchange(get('/stream', 'Connection: close\r\n'));
      expect(chunked).toMatch(/transfer-encoding: chunked/i);
      expect(chunked).toMatch(/\r\n\r\n9\r\npart one,\r\n8\r\npart two\r\n0\r\n\r\n$/);
      const plain = await exchange('GET /stream HTTP/1.0\r\nHost: web.apps.test\r\n\r\n');
      expect(plain).not.toMatch(/transfer-encoding/i);
      expect(plain).toMatch(/\r\n\r\npart one,part two$/);
    });

    it('answers HEAD with the head only, and the connection stays usable', async () => {
      const text = await exchange(
        `HEAD /h HTTP/1.1\r\nHost: web.apps.test\r\n\r\n${get('/after', 'Connection: close\r\n')}`,
      );
      expect(statusLines(text)).toEqual(['HTTP/1.1 200 OK', 'HTTP/1.1 200 OK']);
      expect(text).not.toMatch(/HEAD \/h/);
      expect(text).toMatch(/GET \/after body=$/);
    });

    it('streams a chunked request body to the app, and answers 100-continue itself', async () => {
      const head =
        'POST /upload HTTP/1.1\r\nHost: web.apps.test\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n';
      const text = await exchange([head, '5\r\nhello\r\n', '6\r\n world\r\n0\r\n\r\n']);
      expect(text).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 OK/);
      expect(text).toMatch(/POST \/upload body=hello world$/);
    });

    it('answers a client that half-closes after its request', async () => {
      const text = await exchange(get('/half'), { halfClose: true });
      expect(text).toMatch(/^HTTP\/1\.1 200 OK/);
      expect(text).toMatch(/GET \/half body=$/);
    });

    it('answers 400 to a malformed request and 431 to an oversized head, then closes', async () => {
      expect(await exchange('THIS IS NOT HTTP\r\n\r\n')).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
      const huge = get('/big', `X-Big: ${'a'.repeat(20_000)}\r\n`);
      expect(await exchange(huge)).toMatch(/^HTTP\/1\.1 431 /);
    });

    it('adds a Date header when the app sent none', async () => {
      const text = await exchange(get('/d', 'Connection: close\r\n'));
      expect(text).toMatch(/\r\ndate: \w{3}, \d{2} \w{3} \d{4} /i);
    });
  });
});
