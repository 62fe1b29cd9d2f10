// API keys over real HTTP (client-contract.md): whoami, both headers, list/create/delete,
// scopes, expiry, the bootstrap key, and the workspace boundary (404, never 403).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anotherWorkspace } from '../support/another-workspace.js';
import { anApp } from '../support/builders.js';
import { expectError } from '../support/expect-error.js';
import { shiftableClock } from '../support/shiftable-clock.js';
import { backends, startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';

const everyScope = [
  'apps:read',
  'apps:write',
  'deploy:read',
  'deploy:write',
  'env-vars:read',
  'env-vars:write',
  'monitoring:read',
  'monitoring:write',
  'api-keys:read',
  'api-keys:write',
  'git:read',
  'git:write',
  'databases:read',
  'databases:write',
  'databases:query',
];
const isoTimestamp = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
const hour = 3_600_000;

describe.each(backends)('API keys on %s', (backend) => {
  let t: TestBerth;
  const clock = shiftableClock();
  const keysPath = () => `/api/v1/workspaces/${t.workspaceId}/api-keys`;
  const createKey = (body: unknown, key?: string) => t.request('POST', keysPath(), { body, ...(key ? { key } : {}) });

  beforeAll(async () => {
    t = await startTestBerth(backend, { start: { clock } });
  });
  afterAll(async () => t?.close());

  it('whoami names the workspace and the scopes of the key', async () => {
    const me = await t.request('GET', '/api/v1/api-keys/whoami');
    expect(me.status).toBe(200);
    expect(me.body).toEqual({
      keyId: expect.stringMatching(/^key_/),
      workspaceId: expect.stringMatching(/^ws_/),
      workspace: { id: me.body.workspaceId, name: 'Default workspace' },
      scopes: everyScope,
    });
  });

  it('accepts the key as a Bearer token and as X-Api-Key', async () => {
    const bearer = await t.request('GET', '/api/v1/api-keys/whoami', {
      key: null,
      headers: { authorization: `Bearer ${t.key}` },
    });
    const header = await t.request('GET', '/api/v1/api-keys/whoami', { key: null, headers: { 'x-api-key': t.key } });
    expect(bearer.status).toBe(200);
    expect(header.status).toBe(200);
    expect(header.body).toEqual(bearer.body);
  });

  it('refuses a missing, garbage or unknown key with 401', async () => {
    const apps = `/api/v1/workspaces/${t.workspaceId}/apps`;
    expectError(await t.request('GET', apps, { key: null }), 401, 'Missing or malformed API key');
    expectError(await t.request('GET', apps, { key: 'garbage' }), 401, 'Missing or malformed API key');
    expectError(await t.request('GET', apps, { key: null, headers: { authorization: `Basic ${t.key}` } }), 401);
    const unknown = `dor_sk_${crypto.randomBytes(32).toString('base64url')}`;
    expectError(await t.request('GET', apps, { key: unknown }), 401, 'Invalid API key');
    expectError(await t.request('GET', '/api/v1/api-keys/whoami', { key: unknown }), 401, 'Invalid API key');
  });

  it('creates a key, returns its plain text once and never lists it', async () => {
    const created = await createKey({ name: 'ci', scopes: ['apps:read', 'deploy:read'] });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^key_/),
      name: 'ci',
      keyPrefix: expect.any(String),
      scopes: ['apps:read', 'deploy:read'],
      expiresAt: null,
      lastUsedAt: null,
      createdAt: isoTimestamp,
      key: expect.stringMatching(/^dor_sk_[A-Za-z0-9_-]{32,}$/),
    });
    const plain: string = created.body.key;
    expect(plain.startsWith(created.body.keyPrefix)).toBe(true);
    expect(created.body.keyPrefix.length).toBeLessThan(plain.length / 2);

    const me = await t.request('GET', '/api/v1/api-keys/whoami', { key: plain });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      keyId: created.body.id,
      workspaceId: t.workspaceId,
      scopes: ['apps:read', 'deploy:read'],
    });

    const list = await t.request('GET', keysPath());
    expect(list.status).toBe(200);
    const listed = list.body.find((k: { id: string }) => k.id === created.body.id);
    const { key: _plain, ...withoutPlain } = created.body;
    expect(listed).toEqual({ ...withoutPlain, lastUsedAt: isoTimestamp });
    expect(JSON.stringify(list.body)).not.toContain(plain);
    expect(list.body.every((k: object) => !('key' in k))).toBe(true);
  });

  it('validates name, scopes and expiry, listing every problem, and creates nothing', async () => {
    const before = (await t.request('GET', keysPath())).body.length;
    expectError(await createKey({}), 400, ['name is required', 'scopes is required']);
    expectError(await createKey({ name: '', scopes: [] }), 400, [
      'name must NOT have fewer than 1 characters',
      'scopes must NOT have fewer than 1 items',
    ]);
    expectError(await createKey({ name: 'x', scopes: ['apps:read', 'apps:delete'] }), 400, [
      `scopes[1] must be one of: ${everyScope.join(', ')}`,
    ]);
    expectError(await createKey({ name: 'x', scopes: 'apps:read' }), 400, ['scopes must be of type array']);
    expectError(await createKey({ name: 'x', scopes: ['apps:read'], expiresAt: 'tomorrow' }), 400, [
      'expiresAt must match format "date-time"',
    ]);
    const past = new Date(Date.now() - 60_000).toISOString();
    expectError(
      await createKey({ name: 'x', scopes: ['apps:read'], expiresAt: past }),
      400,
      'expiresAt must be in the future',
    );
    expectError(await createKey({ name: '   ', scopes: ['apps:read'], expiresAt: past }), 400, [
      'name must not be empty',
      'expiresAt must be in the future',
    ]);
    expect((await t.request('GET', keysPath())).body).toHaveLength(before);
  });

  it('gives a key without a scope 403 naming the missing scope', async () => {
    const reader = (await createKey({ name: 'reader', scopes: ['apps:read'] })).body.key as string;
    const apps = `/api/v1/workspaces/${t.workspaceId}/apps`;
    expect((await t.request('GET', apps, { key: reader })).status).toBe(200);
    expectError(
      await t.request('POST', apps, { key: reader, body: anApp() }),
      403,
      'Missing required scope: apps:write',
    );
    expectError(await t.request('GET', keysPath(), { key: reader }), 403, 'Missing required scope: api-keys:read');
    expectError(
      await createKey({ name: 'y', scopes: ['apps:read'] }, reader),
      403,
      'Missing required scope: api-keys:write',
    );

    const keyAdmin = (await createKey({ name: 'key admin', scopes: ['api-keys:write', 'apps:read'] })).body
      .key as string;
    expectError(
      await createKey({ name: 'escalate', scopes: ['apps:read', 'apps:write'] }, keyAdmin),
      403,
      'Cannot grant scopes you do not hold: apps:write',
    );
    expect((await createKey({ name: 'narrower', scopes: ['apps:read'] }, keyAdmin)).status).toBe(201);
  });

  it('refuses a key once it has expired', async () => {
    const expiresAt = new Date(clock.now().getTime() + hour).toISOString();
    const created = await createKey({ name: 'short-lived', scopes: ['apps:read'], expiresAt });
    expect(created.status).toBe(201);
    expect(created.body.expiresAt).toBe(expiresAt);
    expect((await t.request('GET', '/api/v1/api-keys/whoami', { key: created.body.key })).status).toBe(200);
    clock.advance(2 * hour);
    try {
      expectError(
        await t.request('GET', '/api/v1/api-keys/whoami', { key: created.body.key }),
        401,
        'API key has expired',
      );
      expectError(await t.request('GET', `/api/v1/workspaces/${t.workspaceId}/apps`, { key: created.body.key }), 401);
      expect((await t.request('GET', '/api/v1/api-keys/whoami')).status).toBe(200);
    } finally {
      clock.reset();
    }
  });

  it('deletes a key: 204, gone from the list, and it no longer authenticates', async () => {
    const created = (await createKey({ name: 'doomed', scopes: ['apps:read'] })).body;
    const deleted = await t.request('DELETE', `${keysPath()}/${created.id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBeNull();
    expectError(await t.request('GET', '/api/v1/api-keys/whoami', { key: created.key }), 401, 'Invalid API key');
    const list = await t.request('GET', keysPath());
    expect(list.body.map((k: { id: string }) => k.id)).not.toContain(created.id);
    expectError(await t.request('DELETE', `${keysPath()}/${created.id}`), 404, 'API key not found');
    expectError(await t.request('DELETE', `${keysPath()}/key_missing`), 404, 'API key not found');
  });

  it('writes the admin key to {dataDir}/admin-key with mode 0600', async () => {
    const file = path.join(t.dataDir, 'admin-key');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file, 'utf8')).toBe(`${t.key}\n`);
    const me = await t.request('GET', '/api/v1/api-keys/whoami', { key: fs.readFileSync(file, 'utf8').trim() });
    expect(me.body.scopes).toEqual(everyScope);
  });

  it('answers data-products with an empty list', async () => {
    const products = await t.request('GET', `/api/v1/workspaces/${t.workspaceId}/data-products`);
    expect(products.status).toBe(200);
    expect(products.body).toEqual({ products: [] });
  });

  describe('another workspace', () => {
    it('cannot see or touch the first workspace: 404, exactly as for a workspace that does not exist', async () => {
      const other = await anotherWorkspace(t);
      const ws = `/api/v1/workspaces/${t.workspaceId}`;
      const app = (await t.request('POST', `${ws}/apps`, { body: anApp() })).body;
      const adminKeyId = (await t.request('GET', '/api/v1/api-keys/whoami')).body.keyId;
      const as = { key: other.key };

      const absent = await t.request('GET', '/api/v1/workspaces/ws_does_not_exist/apps');
      expectError(absent, 404, 'Workspace not found');
      for (const [method, url, body] of [
        ['GET', `${ws}/apps`],
        ['GET', `${ws}/apps/${app.id}`],
        ['GET', `${ws}/apps/${app.slug}`],
        ['PATCH', `${ws}/apps/${app.id}`, { name: 'hijacked' }],
        ['DELETE', `${ws}/apps/${app.id}`],
        ['POST', `${ws}/apps`, anApp()],
        ['GET', `${ws}/apps/stats`],
        ['GET', `${ws}/api-keys`],
        ['POST', `${ws}/api-keys`, { name: 'x', scopes: ['apps:read'] }],
        ['DELETE', `${ws}/api-keys/${adminKeyId}`],
        ['GET', `${ws}/data-products`],
      ] as const) {
        const result = await t.request(method, url, { ...as, ...(body ? { body } : {}) });
        expect(result.status, `${method} ${url}`).toBe(404);
        expect(result.body, `${method} ${url}`).toEqual(absent.body);
      }

      expect((await t.request('GET', `${ws}/apps/${app.id}`)).body.name).toBe(app.name);
      expect((await t.request('GET', '/api/v1/api-keys/whoami')).status).toBe(200);
      const own = await t.request('GET', `/api/v1/workspaces/${other.workspaceId}/apps`, as);
      expect(own.body).toEqual({ data: [], meta: { total: 0, page: 1, limit: 20, totalPages: 0 } });
      const ownKeys = await t.request('GET', `/api/v1/workspaces/${other.workspaceId}/api-keys`, as);
      expect(ownKeys.body.map((k: { name: string }) => k.name)).toEqual(['admin']);
      expect((await t.request('GET', `/api/v1/workspaces/${other.workspaceId}/data-products`, as)).body).toEqual({
        products: [],
      });
      const me = await t.request('GET', '/api/v1/api-keys/whoami', as);
      expect(me.body).toMatchObject({
        workspaceId: other.workspaceId,
        workspace: { id: other.workspaceId, name: 'Another workspace' },
      });
      expectError(await t.request('GET', `/api/v1/workspaces/${other.workspaceId}/apps`), 404, 'Workspace not found');
    });
  });
});

describe.each(backends)('the bootstrap key on %s', (backend) => {
  it('BERTH_BOOTSTRAP_KEY makes the admin key the given one', async () => {
    const given = `dor_sk_${crypto.randomBytes(24).toString('base64url')}`;
    const t = await startTestBerth(backend, { env: { BERTH_BOOTSTRAP_KEY: given } });
    try {
      expect(t.key).toBe(given);
      expect(fs.statSync(path.join(t.dataDir, 'admin-key')).mode & 0o777).toBe(0o600);
      const me = await t.request('GET', '/api/v1/api-keys/whoami', { key: given });
      expect(me.status).toBe(200);
      expect(me.body.scopes).toEqual(everyScope);
      const keys = await t.request('GET', `/api/v1/workspaces/${t.workspaceId}/api-keys`, { key: given });
      expect(keys.body).toHaveLength(1);
      expect(given.startsWith(keys.body[0].keyPrefix)).toBe(true);
    } finally {
      await t.close();
    }
  });
});
