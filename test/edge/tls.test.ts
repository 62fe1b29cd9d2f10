// The edge's TLS listener with an operator's certificate (`*.apps.test`), in process and on
// workers: SNI picks the certificate (no certificate, no handshake), HTTP/1.1 and HTTP/2 by
// ALPN with bodies both ways, WebSockets over TLS, X-Forwarded-Proto https, Secure share
// cookies, and plain HTTP redirected to HTTPS for the names the certificate covers.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WebSocket, WebSocketServer } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Edge } from '../../src/edge/create-edge.js';
import { makeSelfSigned } from '../support/self-signed.js';
import { h2Request, httpsRequest } from '../support/tls-client.js';
import {
  aShare,
  aTable,
  aTarget,
  anApp,
  call,
  edgeModes,
  startEdge,
  startUpstream,
  useEdgeWorkers,
  type Upstream,
} from './helpers.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-edge-tls-'));
const { certFile, keyFile } = makeSelfSigned(dir, 'wild', 'apps.test', 'DNS:*.apps.test,DNS:apps.test');
const cert = fs.readFileSync(certFile, 'utf8');
const key = fs.readFileSync(keyFile, 'utf8');

/** Far more than HTTP/2 flow control and the stream's buffer take at once: the edge must wait for drains. */
const bigBytes = 8 * 1024 * 1024;
let app: Upstream;
let wss: WebSocketServer;

beforeAll(async () => {
  app = await startUpstream((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      if (req.url === '/big') {
        res.end('y'.repeat(bigBytes));
        return;
      }
      res.setHeader('content-type', 'application/json');
      res.setHeader('set-cookie', ['a=1', 'b=2']);
      res.end(
        JSON.stringify({
          method: req.method,
          url: req.url,
          body,
          proto: req.headers['x-forwarded-proto'],
          host: req.headers.host,
        }),
      );
    });
  });
  wss = new WebSocketServer({ server: app.server });
  wss.on('connection', (socket) => socket.on('message', (data) => socket.send(`echo:${String(data)}`)));
});

afterAll(async () => {
  for (const client of wss.clients) client.terminate();
  wss.close();
  await app.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe.each(edgeModes)('TLS listener ($name)', ({ workers }) => {
  let edge: Edge;
  let port: number;
  let tlsPort: number;

  beforeAll(async () => {
    useEdgeWorkers(workers);
    ({ edge, port } = await startEdge({
      certificates: {
        dir: path.join(dir, `state-${workers}`),
        acme: null,
        operator: { certPem: cert, keyPem: key },
        onStatus: async () => {},
      },
    }));
    tlsPort = await edge.listenTls(0, '127.0.0.1');
    await edge.setRoutes(
      aTable([
        anApp({ slug: 'web', targets: [aTarget('web-00001', [app.port])] }),
        anApp({
          slug: 'vault',
          visibility: 'private',
          targets: [aTarget('vault-00001', [app.port])],
          shares: [aShare('tok3n')],
        }),
      ]),
    );
  });

  afterAll(async () => {
    await edge.close();
  });

  it('serves HTTP/1.1 over TLS with the certificate for the name, telling the app it was https', async () => {
    const reply = await httpsRequest({
      port: tlsPort,
      name: 'web.apps.test',
      ca: cert,
      path: '/a?b=1',
      method: 'POST',
      body: 'up',
    });
    expect(reply.protocol).toBe('http/1.1');
    expect(reply.certificate.names).toContain('DNS:*.apps.test');
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual({
      method: 'POST',
      url: '/a?b=1',
      body: 'up',
      proto: 'https',
      host: 'web.apps.test',
    });
  });

  it('speaks HTTP/2 when the client offers it, request and response bodies included', async () => {
    const reply = await h2Request({
      port: tlsPort,
      name: 'web.apps.test',
      ca: cert,
      path: '/h2',
      method: 'POST',
      body: 'x'.repeat(100_000),
    });
    expect(reply.protocol).toBe('h2');
    expect(reply.status).toBe(200);
    expect(reply.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    const seen = JSON.parse(reply.body) as { body: string; host: string; proto: string };
    expect(seen.body).toHaveLength(100_000);
    expect(seen).toMatchObject({ host: 'web.apps.test', proto: 'https' });
  });

  it('streams a large HTTP/2 response through, waiting for the client at its pace', async () => {
    const reply = await h2Request({ port: tlsPort, name: 'web.apps.test', ca: cert, path: '/big', method: 'GET' });
    expect(reply.status).toBe(200);
    expect(reply.body).toHaveLength(bigBytes);
  });

  it('refuses the handshake for a name it holds no certificate for', async () => {
    await expect(httpsRequest({ port: tlsPort, name: 'other.example.com', ca: cert })).rejects.toThrow();
  });

  it('serves the operator certificate to a client that sends no server name', async () => {
    const reply = await httpsRequest({ port: tlsPort, name: '', ca: cert, headers: { host: 'web.apps.test' } });
    expect(reply.status).toBe(200);
    expect(reply.certificate.names).toContain('DNS:*.apps.test');
  });

  it('redirects plain HTTP for covered names to HTTPS, keeping path and query', async () => {
    const reply = await call(port, { host: 'web.apps.test', path: '/p?q=1' });
    expect(reply.status).toBe(308);
    expect(reply.headers.location).toBe(`https://web.apps.test:${tlsPort}/p?q=1`);
  });

  it('marks the share cookie Secure over TLS', async () => {
    const reply = await httpsRequest({ port: tlsPort, name: 'vault.apps.test', ca: cert, path: '/?share=tok3n' });
    expect(reply.status).toBe(302);
    expect(String(reply.headers['set-cookie'])).toMatch(/; Secure/);
  });

  it('carries WebSockets over TLS', async () => {
    const options = { servername: 'web.apps.test', ca: cert, headers: { host: 'web.apps.test' } };
    const socket = new WebSocket(`wss://127.0.0.1:${tlsPort}/`, options);
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    socket.send('over tls');
    const reply = await new Promise<string>((resolve) => socket.once('message', (data) => resolve(String(data))));
    expect(reply).toBe('echo:over tls');
    socket.close();
  });
});
