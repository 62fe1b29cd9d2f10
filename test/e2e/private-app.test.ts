// A private app through the edge: refused without credentials, served with a key of its
// workspace, reachable through a share link created with the API (`?share=` → 302 + cookie →
// 200), and refused again once that share is revoked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';
import { createApp, deployDir, wsPath } from './support/berth-actions.js';
import { edgeRequest, until } from './support/edge-client.js';
import { instanceApp } from './support/instance-app.js';

describe('a private app through the edge', () => {
  let t: TestBerth;
  let appId = '';
  const host = 'secret.localhost';
  const get = (path: string, headers: Record<string, string> = {}) => edgeRequest(t.berth.edgePort, host, { path, headers });

  beforeAll(async () => {
    t = await startTestBerth('sqlite');
    appId = await createApp(t, { name: 'Secret', slug: 'secret', visibility: 'private' });
    expect((await deployDir(t, appId, instanceApp('secret'), 'dir:secret')).deployment.status).toBe('succeeded');
  });
  afterAll(async () => t?.close());

  it('answers 401 without credentials and 200 with a key of the workspace', async () => {
    const anonymous = await get('/');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).not.toContain('"text":"secret"');
    expect((await get('/', { authorization: 'Bearer dor_sk_not_a_real_key_0123456789' })).status).toBe(401);

    const withKey = await get('/hello', { authorization: `Bearer ${t.key}` });
    expect(withKey.status).toBe(200);
    expect(JSON.parse(withKey.body)).toMatchObject({ text: 'secret', revision: 'secret-00001', path: '/hello' });
  });

  it('lets a share link in (?share= → 302 with a cookie → 200) until the share is revoked', async () => {
    const created = await t.request('POST', wsPath(t, `/apps/${appId}/public-shares`), { body: {} });
    expect(created.status).toBe(201);
    const token = created.body.token as string;
    expect(created.body.url).toContain(token);

    // The route table picks the new share up without any other change to the app.
    const redirect = await until(() => get(`/page?x=1&share=${token}`), (r) => r.status === 302, 5_000);
    expect(redirect.status).toBe(302);
    expect(redirect.headers.location).toBe('/page?x=1');
    const setCookie = redirect.headers['set-cookie']?.[0] ?? '';
    expect(setCookie).toMatch(/^berth_share=[^;]+;.*HttpOnly/);
    const cookie = setCookie.split(';')[0] ?? '';

    const followed = await get('/page?x=1', { cookie });
    expect(followed.status).toBe(200);
    // Berth's own cookie never reaches the app.
    expect(JSON.parse(followed.body)).toMatchObject({ text: 'secret', path: '/page?x=1', cookie: null });

    const revoked = await t.request('DELETE', wsPath(t, `/apps/${appId}/public-shares/${created.body.id as string}`));
    expect(revoked.status).toBe(204);
    const refused = await until(() => get('/page', { cookie }), (r) => r.status === 401, 5_000);
    expect(refused.status).toBe(401);
    expect((await get(`/?share=${token}`)).status).toBe(401);
    expect((await get('/', { authorization: `Bearer ${t.key}` })).status).toBe(200);
  });

  it('serves everyone as soon as the app is made public, and refuses again once it is private', async () => {
    const update = (visibility: string) => t.request('PATCH', wsPath(t, `/apps/${appId}`), { body: { visibility } });
    expect((await update('public')).status).toBe(200);
    expect((await get('/')).status).toBe(200);
    expect((await update('private')).status).toBe(200);
    expect((await get('/')).status).toBe(401);
  });
});
