// The edge over real sockets: Host routing (slug, tag, custom domain), the edge's own error
// pages, X-Forwarded headers, hop-by-hop handling and round-robin over endpoints.
import { Agent } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppRoute, RouteTable } from '../../src/core/ports/route-table.js';
import type { Edge } from '../../src/edge/create-edge.js';
import {
  aTable,
  aTarget,
  anApp,
  call,
  namedUpstream,
  seen,
  startEdge,
  startUpstream,
  type Upstream,
} from './helpers.js';
import { edgeModes, useEdgeWorkers } from './helpers.js';
import { releasePort, reservePort } from '../support/reserved-port.js';

let blue: Upstream;
let green: Upstream;
let green2: Upstream;
let silent: Upstream;
let refusedPort: number;
let edge: Edge;
let port: number;
let impatientEdge: Edge;
let impatientPort: number;

describe.each(edgeModes)('routing ($name)', ({ workers }) => {
  beforeAll(() => useEdgeWorkers(workers));

  beforeAll(async () => {
    blue = await namedUpstream('blue');
    green = await namedUpstream('green');
    green2 = await namedUpstream('green-2');
    silent = await startUpstream(() => {
      // Never answers: the edge must give up with 504.
    });
    // Must refuse for the whole file: a port merely free now may be any process's next listen(0).
    refusedPort = await reservePort();
    ({ edge, port } = await startEdge());
    // A second edge with a short upstream timeout, so only the silent app can run into it.
    ({ edge: impatientEdge, port: impatientPort } = await startEdge({ upstreamTimeoutMs: 300 }));
    await impatientEdge.setRoutes(aTable([anApp({ slug: 'slow', targets: [aTarget('slow-00001', [silent.port])] })]));
    await edge.setRoutes(routes());
  });

  function routes(extra: AppRoute[] = []): RouteTable {
    return aTable(
      [
        ...extra,
        anApp({
          slug: 'shop',
          targets: [aTarget('shop-00001', [blue.port], 100), aTarget('shop-00002', [green.port], 0, 'canary')],
        }),
        anApp({ slug: 'blue---green', targets: [aTarget('blue---green-00001', [green.port])] }),
        anApp({ slug: 'multi', targets: [aTarget('multi-00001', [green.port, green2.port])] }),
        anApp({ slug: 'starting', targets: [aTarget('starting-00001', [])] }),
        anApp({ slug: 'stopped', targets: [aTarget('stopped-00001', [])], stopped: true }),
        anApp({ slug: 'queue', targets: [aTarget('queue-00001', [])], noHttp: 'worker' }),
        anApp({ slug: 'nightly', targets: [aTarget('nightly-00001', [])], noHttp: 'cron', stopped: true }),
        anApp({ slug: 'empty' }),
        anApp({ slug: 'broken', targets: [aTarget('broken-00001', [refusedPort])] }),
      ],
      { 'www.shop.example': 'shop' },
    );
  }

  afterAll(async () => {
    await Promise.all([edge.close(), impatientEdge.close()]);
    await Promise.all([blue.close(), green.close(), green2.close(), silent.close()]);
    releasePort(refusedPort);
  });

  describe('routing by Host', () => {
    it.each([
      { host: 'shop.apps.test', upstream: 'blue' },
      { host: 'SHOP.Apps.Test', upstream: 'blue' },
      { host: 'shop.apps.test:8080', upstream: 'blue' },
      { host: 'shop.apps.test.', upstream: 'blue' },
      { host: 'canary---shop.apps.test', upstream: 'green' },
      { host: 'Canary---Shop.apps.test:443', upstream: 'green' },
      { host: 'www.shop.example', upstream: 'blue' },
      { host: 'WWW.shop.example:80', upstream: 'blue' },
      { host: 'blue---green.apps.test', upstream: 'green' },
    ])('$host → $upstream', async ({ host, upstream }) => {
      const reply = await call(port, { host, path: '/cart?id=7' });
      expect(reply.status).toBe(200);
      expect(seen(reply)).toMatchObject({ name: upstream, url: '/cart?id=7' });
    });

    it.each([
      { host: 'nope.apps.test', why: 'unknown slug' },
      { host: 'apps.test', why: 'the base domain itself' },
      { host: 'a.shop.apps.test', why: 'a deeper name' },
      { host: 'beta---shop.apps.test', why: 'an unknown tag' },
      { host: 'shop.example', why: 'an unverified domain' },
      { host: '[::1]:80', why: 'an IP literal' },
    ])('404 for $why ($host)', async ({ host }) => {
      const reply = await call(port, { host });
      expect(reply.status).toBe(404);
      expect(reply.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(reply.body).toContain('404');
    });

    it('round-robins over the endpoints of a revision', async () => {
      const names: string[] = [];
      // One connection: an edge worker keeps its own position in the rotation.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    for (let i = 0; i < 6; i++) names.push(seen(await call(port, { host: 'multi.apps.test', agent })).name);
    agent.destroy();
      expect(names.filter((n) => n === 'green')).toHaveLength(3);
      expect(names.filter((n) => n === 'green-2')).toHaveLength(3);
      expect(names[0]).not.toBe(names[1]);
    });
  });

  describe('error pages', () => {
    it.each([
      { host: 'starting.apps.test', status: 503, why: 'the revision has no ready endpoint' },
      { host: 'empty.apps.test', status: 503, why: 'no revision receives traffic' },
      { host: 'broken.apps.test', status: 502, why: 'the app refuses connections' },
      { host: 'slow.apps.test', status: 504, why: 'the app does not answer in time' },
    ])('$status when $why', async ({ host, status }) => {
      const target = host === 'slow.apps.test' ? impatientPort : port;
      const reply = await call(target, { host, headers: { accept: 'text/html,application/xhtml+xml' } });
      expect(reply.status).toBe(status);
      expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(reply.headers['cache-control']).toBe('no-store');
      expect(reply.body).toMatch(/^<!doctype html>/);
      expect(reply.body).toContain(String(status));
      expect(reply.body).not.toMatch(/Error:|at .*\(|ECONNREFUSED|127\.0\.0\.1/);
    });

    it('says an app scaled to zero is stopped, and one not ready yet is worth a retry', async () => {
      const stopped = await call(port, { host: 'stopped.apps.test' });
      expect(stopped.status).toBe(503);
      expect(stopped.body).toBe('503 · App stopped\nThis app is not running: it is scaled to zero instances. It answers again once it is started.\n');
      const starting = await call(port, { host: 'starting.apps.test' });
      expect(starting.status).toBe(503);
      expect(starting.body).toContain('Try again in a moment');
    });

    it('says a worker or cron app takes no HTTP requests, instead of "try again"', async () => {
      const worker = await call(port, { host: 'queue.apps.test' });
      expect(worker.status).toBe(503);
      expect(worker.body).toBe('503 · Not a web app\nThis app is a worker: it runs in the background and takes no HTTP requests, so nothing answers at this address.\n');
      const cron = await call(port, { host: 'nightly.apps.test', headers: { accept: 'text/html' } });
      expect(cron.status).toBe(503);
      expect(cron.body).toContain('This app is a cron job: it runs on a schedule and takes no HTTP requests');
      expect(cron.body).not.toContain('Try again');
    });

    it('answers 502 for a body-carrying request to a refusing app, without retrying it', async () => {
      const reply = await call(port, {
        host: 'broken.apps.test',
        method: 'POST',
        body: 'x=1',
        headers: { 'content-type': 'text/plain' },
      });
      expect(reply.status).toBe(502);
    });
  });

  describe('forwarded headers', () => {
    it('sets X-Forwarded-For (appending), -Proto and -Host, and keeps the original Host', async () => {
      const reply = await call(port, { host: 'shop.apps.test:8080', headers: { 'x-forwarded-for': '203.0.113.9' } });
      const headers = seen(reply).headers;
      expect(headers['x-forwarded-for']).toBe('203.0.113.9, 127.0.0.1');
      expect(headers['x-forwarded-proto']).toBe('http');
      expect(headers['x-forwarded-host']).toBe('shop.apps.test:8080');
      expect(headers.host).toBe('shop.apps.test:8080');
    });

    it('replaces forged X-Forwarded-Proto and -Host from an untrusted client', async () => {
      const reply = await call(port, {
        host: 'shop.apps.test',
        headers: { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil.example' },
      });
      const headers = seen(reply).headers;
      expect(headers['x-forwarded-proto']).toBe('http');
      expect(headers['x-forwarded-host']).toBe('shop.apps.test');
    });

    it('drops hop-by-hop headers, including those named by Connection, and keeps end-to-end ones', async () => {
      const reply = await call(port, {
        host: 'shop.apps.test',
        headers: {
          connection: 'keep-alive, x-hop',
          'x-hop': '1',
          'keep-alive': 'timeout=5',
          te: 'trailers',
          'proxy-authorization': 'Basic eA==',
          'x-end': 'kept',
        },
      });
      const headers = seen(reply).headers;
      expect(headers['x-hop']).toBeUndefined();
      expect(headers['keep-alive']).toBeUndefined();
      expect(headers.te).toBeUndefined();
      expect(headers['proxy-authorization']).toBeUndefined();
      expect(headers['x-end']).toBe('kept');
    });

    it('relays the response headers of the app, repeated ones included, without its hop-by-hop headers', async () => {
      const app = await startUpstream((_req, res) => {
        res.writeHead(
          201,
          [
            ['set-cookie', 'a=1'],
            ['set-cookie', 'b=2'],
            ['x-app', 'yes'],
            ['connection', 'keep-alive, x-secret'],
            ['x-secret', 'hop'],
          ].flat(),
        );
        res.end('made');
      });
      await edge.setRoutes(routes([anApp({ slug: 'cookies', targets: [aTarget('cookies-00001', [app.port])] })]));
      const reply = await call(port, { host: 'cookies.apps.test' });
      await edge.setRoutes(routes());
      await app.close();
      expect(reply.status).toBe(201);
      expect(reply.body).toBe('made');
      expect(reply.headers['set-cookie']).toEqual(['a=1', 'b=2']);
      expect(reply.headers['x-app']).toBe('yes');
      expect(reply.headers['x-secret']).toBeUndefined();
    });
  });
});
