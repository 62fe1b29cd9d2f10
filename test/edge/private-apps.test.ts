// Private apps: API keys of the app's workspace, share links (token once, then a cookie),
// expiry, revocation, requireAuth, and no Berth credential ever reaching the app.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AppRoute, RouteShare } from '../../src/core/ports/route-table.js';
import type { Edge } from '../../src/edge/create-edge.js';
import { aShare, aTable, aTarget, anApp, call, namedUpstream, seen, startEdge, type Upstream } from './helpers.js';

const keys: Record<string, string> = { dor_sk_one: 'ws_one', dor_sk_two: 'ws_two' };
const resolved: string[] = [];
let clockMs = Date.parse('2030-01-01T00:00:00Z');
let app: Upstream;
let edge: Edge;
let port: number;

const host = 'vault.apps.test';
const shares = {
  open: aShare('open-token-1234'),
  strict: aShare('strict-token-1234', { requireAuth: true }),
  expiring: aShare('expiring-token-1234', { expiresAt: new Date(clockMs + 60_000) }),
  expired: aShare('expired-token-1234', { expiresAt: new Date(clockMs - 1) }),
};

function vault(withShares: RouteShare[]): AppRoute {
  return anApp({
    slug: 'vault',
    workspaceId: 'ws_one',
    visibility: 'private',
    targets: [aTarget('vault-00001', [app.port])],
    shares: withShares,
  });
}

function cookieOf(setCookie: string[] | undefined): string {
  return (setCookie?.[0] ?? '').split(';')[0] ?? '';
}

beforeAll(async () => {
  app = await namedUpstream('vault');
  ({ edge, port } = await startEdge({
    now: () => clockMs,
    keyCacheTtlMs: 5_000,
    resolveKey: (key) => {
      resolved.push(key);
      return Promise.resolve(keys[key] ?? null);
    },
  }));
});

beforeEach(async () => {
  await edge.setRoutes(aTable([vault(Object.values(shares))]));
});

afterAll(async () => {
  await edge.close();
  await app.close();
});

describe('API keys', () => {
  it.each([
    { name: 'no key', headers: {}, status: 401 },
    { name: 'a bearer key of the workspace', headers: { authorization: 'Bearer dor_sk_one' }, status: 200 },
    { name: 'an X-Api-Key of the workspace', headers: { 'x-api-key': 'dor_sk_one' }, status: 200 },
    { name: 'a key of another workspace', headers: { authorization: 'Bearer dor_sk_two' }, status: 401 },
    { name: 'an unknown key', headers: { 'x-api-key': 'dor_sk_nope' }, status: 401 },
    { name: 'a non-Berth bearer token', headers: { authorization: 'Bearer abc' }, status: 401 },
  ])('$name → $status', async ({ headers, status }) => {
    const reply = await call(port, { host, headers });
    expect(reply.status).toBe(status);
    if (status === 401) {
      expect(reply.headers['www-authenticate']).toBe('Bearer realm="berth"');
      expect(reply.body).not.toContain('vault');
    }
  });

  it('never forwards Berth keys to the app, but keeps the app’s own credentials', async () => {
    const viaBearer = seen(
      await call(port, { host, headers: { authorization: 'Bearer dor_sk_one', 'x-custom-auth': 'mine' } }),
    ).headers;
    expect(viaBearer.authorization).toBeUndefined();
    expect(viaBearer['x-custom-auth']).toBe('mine');
    const viaHeader = seen(
      await call(port, { host, headers: { 'x-api-key': 'dor_sk_one', authorization: 'Basic dXNlcjpwdw==' } }),
    ).headers;
    expect(viaHeader['x-api-key']).toBeUndefined();
    expect(viaHeader.authorization).toBe('Basic dXNlcjpwdw==');
  });

  it('caches a positive answer for a few seconds, then asks again', async () => {
    resolved.length = 0;
    for (let i = 0; i < 3; i++)
      expect((await call(port, { host, headers: { 'x-api-key': 'dor_sk_one' } })).status).toBe(200);
    clockMs += 6_000;
    expect((await call(port, { host, headers: { 'x-api-key': 'dor_sk_one' } })).status).toBe(200);
    expect(resolved.filter((key) => key === 'dor_sk_one').length).toBeLessThanOrEqual(2);
    expect(resolved.filter((key) => key === 'dor_sk_one').length).toBeGreaterThanOrEqual(1);
  });

  it('answers 503, not 200 or a stack trace, when keys cannot be resolved', async () => {
    const { edge: failing, port: failingPort } = await startEdge({
      resolveKey: () => Promise.reject(new Error('store down')),
    });
    await failing.setRoutes(aTable([vault([])]));
    const reply = await call(failingPort, { host, headers: { authorization: 'Bearer dor_sk_one' } });
    await failing.close();
    expect(reply.status).toBe(503);
    expect(reply.body).not.toContain('store down');
  });
});

describe('share links', () => {
  it('trades ?share=TOKEN for a host-only HttpOnly cookie, then lets the cookie in', async () => {
    const first = await call(port, { host, path: '/docs?page=2&share=open-token-1234&x=1' });
    expect(first.status).toBe(302);
    expect(first.headers.location).toBe('/docs?page=2&x=1');
    const setCookie = first.headers['set-cookie']?.[0] ?? '';
    expect(setCookie).toMatch(/^berth_share=open-token-1234; Path=\/; HttpOnly; SameSite=Lax$/);
    expect(setCookie).not.toMatch(/Domain=/i);

    const second = await call(port, {
      host,
      path: '/docs?page=2&x=1',
      headers: { cookie: `theme=dark; ${cookieOf(first.headers['set-cookie'])}` },
    });
    expect(second.status).toBe(200);
    const forwarded = seen(second);
    expect(forwarded.url).toBe('/docs?page=2&x=1');
    expect(forwarded.headers.cookie).toBe('theme=dark');
  });

  it('gives the cookie the lifetime left on an expiring share', async () => {
    const reply = await call(port, { host, path: '/?share=expiring-token-1234' });
    expect(reply.status).toBe(302);
    const left = Math.floor(((shares.expiring.expiresAt?.getTime() ?? 0) - clockMs) / 1000);
    expect(left).toBeGreaterThan(0);
    expect(reply.headers['set-cookie']?.[0]).toContain(`Max-Age=${left}`);
  });

  it.each([
    { name: 'an unknown token', token: 'nope-token-1234' },
    { name: 'an expired share', token: 'expired-token-1234' },
    { name: 'a requireAuth share without a key', token: 'strict-token-1234' },
  ])('refuses $name in the URL and in the cookie', async ({ token }) => {
    expect((await call(port, { host, path: `/?share=${token}` })).status).toBe(401);
    expect((await call(port, { host, headers: { cookie: `berth_share=${token}` } })).status).toBe(401);
  });

  it('accepts a requireAuth share together with a key of the workspace', async () => {
    const reply = await call(port, {
      host,
      path: '/?share=strict-token-1234',
      headers: { authorization: 'Bearer dor_sk_one' },
    });
    expect(reply.status).toBe(302);
    const cookie = cookieOf(reply.headers['set-cookie']);
    expect((await call(port, { host, headers: { cookie } })).status).toBe(401);
    expect((await call(port, { host, headers: { cookie, authorization: 'Bearer dor_sk_one' } })).status).toBe(200);
  });

  it('refuses a cookie once its share is revoked (gone from the next table)', async () => {
    const cookie = cookieOf((await call(port, { host, path: '/?share=open-token-1234' })).headers['set-cookie']);
    expect((await call(port, { host, headers: { cookie } })).status).toBe(200);
    await edge.setRoutes(aTable([vault([shares.strict])]));
    expect((await call(port, { host, headers: { cookie } })).status).toBe(401);
  });

  it('refuses a cookie once its share has expired', async () => {
    const cookie = cookieOf((await call(port, { host, path: '/?share=expiring-token-1234' })).headers['set-cookie']);
    expect((await call(port, { host, headers: { cookie } })).status).toBe(200);
    clockMs += 61_000;
    expect((await call(port, { host, headers: { cookie } })).status).toBe(401);
  });

  it('does not let a share of one app into another private app', async () => {
    const other = anApp({ slug: 'other', visibility: 'private', targets: [aTarget('other-00001', [app.port])] });
    await edge.setRoutes(aTable([vault(Object.values(shares)), other]));
    expect((await call(port, { host: 'other.apps.test', path: '/?share=open-token-1234' })).status).toBe(401);
    expect(
      (await call(port, { host: 'other.apps.test', headers: { cookie: 'berth_share=open-token-1234' } })).status,
    ).toBe(401);
  });

  it('strips the share cookie and Berth keys from requests to public apps too', async () => {
    await edge.setRoutes(aTable([anApp({ slug: 'open', targets: [aTarget('open-00001', [app.port])] })]));
    const reply = await call(port, {
      host: 'open.apps.test',
      path: '/?a=1',
      headers: { cookie: 'berth_share=x; b=2', authorization: 'Bearer dor_sk_one' },
    });
    expect(reply.status).toBe(200);
    expect(seen(reply).headers.cookie).toBe('b=2');
    expect(seen(reply).headers.authorization).toBeUndefined();
  });
});
