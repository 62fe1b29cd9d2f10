// An app's build-time env and its one domain through the REST dialect (spec 003), on SQLite and
// PostgreSQL: build variables reach build steps only, runtime ones instances only, a key of both
// keeps its other side; one domain per app, replaced without a gap, verified by DNS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DnsResolver } from '../../src/core/ports/dns.js';
import { appEnv, buildEnv } from '../../src/core/env-vars/app-env.js';
import { domainVerificationRecord } from '../../src/domain/names.js';
import { expectError } from '../support/expect-error.js';
import { backends, startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';

function fakeDns(): DnsResolver & { txts: Map<string, string[]> } {
  const txts = new Map<string, string[]>();
  return { txts, cname: async () => [], txt: async (host) => txts.get(host) ?? [] };
}

describe.each(backends)('REST build env and domain on %s', (backend) => {
  let t: TestBerth;
  const dns = fakeDns();
  let app: { id: string };
  const env = (method: string, body?: unknown, query = '') => t.request(method, `/api/apps/${app.id}/env${query}`, body === undefined ? {} : { body });

  beforeAll(async () => {
    t = await startTestBerth(backend, { via: 'inject', start: { dns } });
    app = (await t.request('POST', '/api/apps', { body: { name: 'Env and domain' } })).body;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('sets, lists and deletes build-time variables; they reach build steps, not instances', async () => {
    expect((await env('GET')).body).toEqual({ data: [] });
    expect((await env('PUT', { name: 'VITE_API_URL', value: 'https://api.example.com' })).body).toEqual({ success: true });
    await t.request('PATCH', `/api/apps/${app.id}`, { body: { config: { env: { DATABASE_URL: 'postgres://db', SHARED: 'runtime' } } } });
    await env('PUT', { name: 'SHARED', value: 'both' });
    expect((await env('GET')).body.data).toEqual([
      { name: 'SHARED', type: 'plain', value: 'both' },
      { name: 'VITE_API_URL', type: 'plain', value: 'https://api.example.com' },
    ]);
    expect(await buildEnv(t.berth, app.id)).toEqual({ VITE_API_URL: 'https://api.example.com', SHARED: 'both' });
    expect(await appEnv(t.berth, app.id)).toEqual({ DATABASE_URL: 'postgres://db', SHARED: 'both' });
    expect((await t.request('GET', `/api/apps/${app.id}`)).body.config.env).toEqual({ DATABASE_URL: 'postgres://db', SHARED: 'both' });
    expect((await t.request('GET', `/api/v1/apps/${app.id}`)).body.env).toEqual({ DATABASE_URL: 'postgres://db', SHARED: 'both' });
    // A Dooor client lists and deletes runtime variables only: a build-only one is not there.
    const dooorEnv = `/api/v1/workspaces/${t.workspaceId}/apps/${app.id}/env-vars`;
    expect(((await t.request('GET', dooorEnv)).body as { key: string }[]).map((v) => v.key).sort()).toEqual(['DATABASE_URL', 'SHARED']);
    expectError(await t.request('DELETE', `${dooorEnv}/VITE_API_URL`), 404, 'Environment variable not found');

    expect((await env('DELETE', undefined, '?name=SHARED')).body).toEqual({ success: true });
    expect(await buildEnv(t.berth, app.id)).toEqual({ VITE_API_URL: 'https://api.example.com' });
    expect(await appEnv(t.berth, app.id)).toEqual({ DATABASE_URL: 'postgres://db', SHARED: 'both' });
    await env('DELETE', undefined, '?name=VITE_API_URL');
    expect((await env('GET')).body).toEqual({ data: [] });
    expectError(await env('DELETE', undefined, '?name=DATABASE_URL'), 404, 'Build env var not found');
  });

  it('refuses bad names and values', async () => {
    expectError(await env('PUT', { name: '1BAD', value: 'x' }), 400, 'name: key "1BAD" must start with a letter or underscore and contain only letters, digits and underscores');
    expectError(await env('PUT', { name: 'NUL', value: 'a\u0000b' }), 400, 'Request body must not contain NUL (\\u0000) characters');
    expect((await env('PUT', { name: 'X' })).status).toBe(400);
    expect((await env('DELETE')).status).toBe(400);
  });

  it('attaches one domain, verifies it by DNS, replaces it, detaches it', async () => {
    expectError(await t.request('GET', `/api/apps/${app.id}/domain`), 404, 'Domain not found');
    const first = await t.request('PUT', `/api/apps/${app.id}/domain`, { body: { hostname: 'Shop.Example.com' } });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toMatchObject({ id: expect.stringMatching(/^dom_/), appId: app.id, hostname: 'shop.example.com', status: 'pending', lastError: null });

    const [stored] = await t.berth.store.domains.list(app.id);
    dns.txts.set(domainVerificationRecord('shop.example.com'), [stored?.verificationToken ?? '']);
    const again = await t.request('PUT', `/api/apps/${app.id}/domain`, { body: { hostname: 'shop.example.com' } });
    expect(again.body).toMatchObject({ id: first.body.id, status: 'active' });
    expect((await t.request('GET', `/api/apps/${app.id}/domain`)).body).toEqual(again.body);

    const replaced = await t.request('PUT', `/api/apps/${app.id}/domain`, { body: { hostname: 'www.example.org' } });
    expect(replaced.body).toMatchObject({ hostname: 'www.example.org', status: 'pending' });
    expect((await t.berth.store.domains.list(app.id)).map((d) => d.domain)).toEqual(['www.example.org']);

    expectError(await t.request('PUT', `/api/apps/${app.id}/domain`, { body: { hostname: 'not a host' } }), 400);
    expect((await t.berth.store.domains.list(app.id)).map((d) => d.domain)).toEqual(['www.example.org']);
    expect((await t.request('DELETE', `/api/apps/${app.id}/domain`)).body).toEqual({ success: true });
    expectError(await t.request('DELETE', `/api/apps/${app.id}/domain`), 404);
  });
});
