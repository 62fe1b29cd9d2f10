// Errors and input over real HTTP (issue 2, item 7): every failure in the NestJS shape, bad
// JSON, wrong content types, oversize bodies, unknown routes and fields, and never a stack trace.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DnsResolver } from '../../src/core/ports/dns.js';
import { anApp } from '../support/builders.js';
import { expectError } from '../support/expect-error.js';
import { backends, startTestBerth } from '../support/test-berth.js';
import type { HttpResult, TestBerth } from '../support/test-berth.js';

/** What a leaked stack trace or internal detail looks like. */
const internals = [
  /\bat \S+ \(/,
  /\n\s+at /,
  /\.(ts|js|mjs|cjs):\d+/,
  /node_modules/,
  /\/(work|home|tmp|usr)\//,
  /"stack"/,
  /Error:/,
];

/** A resolver that breaks its contract (it should answer [] on failure): an unexpected internal error. */
const brokenDns: DnsResolver = {
  cname: async () => {
    throw new Error('resolver exploded at /work/main/src/engine/system-dns.ts:12:7');
  },
  txt: async () => [],
};

describe.each(backends)('errors and input on %s', (backend) => {
  let t: TestBerth;
  const seen: HttpResult[] = [];
  const apps = () => `/api/v1/workspaces/${t.workspaceId}/apps`;
  const send = async (method: string, url: string, options: Parameters<TestBerth['request']>[2] = {}) => {
    const result = await t.request(method, url, options);
    seen.push(result);
    return result;
  };

  beforeAll(async () => {
    t = await startTestBerth(backend, { start: { dns: brokenDns } });
  });
  afterAll(async () => t?.close());

  it('answers malformed JSON with 400 in the error shape', async () => {
    for (const body of ['{"name":', "{'name': 'x'}", '{"name": "x",}', 'not json']) {
      expectError(await send('POST', apps(), { body }), 400, 'Malformed JSON body');
    }
    const app = (await send('POST', apps(), { body: anApp() })).body;
    expectError(await send('PATCH', `${apps()}/${app.id}`, { body: '{"name"' }), 400, 'Malformed JSON body');
    expectError(await send('POST', apps(), { body: '[1, 2]' }), 400, ['body must be of type object']);
    expectError(await send('POST', apps(), { body: 'null' }), 400, ['body must be of type object']);
  });

  it('answers a body that is not JSON with 415', async () => {
    const before = (await send('GET', apps())).body.meta.total;
    const text = { body: 'name=x&slug=y', headers: { 'content-type': 'text/plain' } };
    expectError(await send('POST', apps(), text), 415, 'Unsupported content type: send application/json');
    const form = { body: 'name=x&slug=y', headers: { 'content-type': 'application/x-www-form-urlencoded' } };
    expectError(await send('POST', apps(), form), 415, 'Unsupported content type: send application/json');
    expect((await send('GET', apps())).body.meta.total).toBe(before);
  });

  it('answers a body over 1 MiB with 413', async () => {
    const oversize = JSON.stringify(anApp({ description: 'x'.repeat(1024 * 1024) }));
    expectError(await send('POST', apps(), { body: oversize }), 413, 'Request body is too large');
    const justUnder = JSON.stringify({
      vars: [{ key: 'BIG', value: 'x'.repeat(30 * 1024) }],
      padding: 'y'.repeat(1000 * 1000),
    });
    const app = (await send('POST', apps(), { body: anApp() })).body;
    expect((await send('POST', `${apps()}/${app.id}/env-vars/bulk`, { body: justUnder })).status).toBe(200);
  });

  it('answers an unknown route or method with 404 in the error shape', async () => {
    expectError(await send('GET', '/api/v1/nothing-here?x=1'), 404, 'Cannot GET /api/v1/nothing-here');
    expectError(await send('GET', '/nothing'), 404, 'Cannot GET /nothing');
    expectError(await send('PUT', apps(), { body: {} }), 404, `Cannot PUT ${apps()}`);
    expectError(await send('POST', `${apps()}/x/not-a-thing`, { body: {} }), 404);
  });

  it('ignores unknown JSON fields, including ones that name server-owned fields', async () => {
    const forged = {
      id: 'app_forged',
      status: 'active',
      workspaceId: 'ws_other',
      createdAt: '2000-01-01T00:00:00.000Z',
      latestDeployment: {},
      foo: 'bar',
    };
    const created = await send('POST', apps(), { body: anApp({ slug: 'ignores', ...forged }) });
    expect(created.status).toBe(201);
    expect(created.body.id).not.toBe('app_forged');
    expect(created.body).toMatchObject({ status: 'stopped', latestDeployment: null });
    expect(created.body.createdAt).not.toBe(forged.createdAt);
    expect(created.body).not.toHaveProperty('foo');
    expect(created.body).not.toHaveProperty('workspaceId');

    const patched = await send('PATCH', `${apps()}/ignores`, { body: { status: 'active', bar: 1, name: 'Renamed' } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ status: 'stopped', name: 'Renamed' });

    const chosen = 'dor_sk_chosen_by_the_client_0123456789';
    const key = await send('POST', `/api/v1/workspaces/${t.workspaceId}/api-keys`, {
      body: { name: 'k', scopes: ['apps:read'], key: chosen, id: 'key_forged' },
    });
    expect(key.status).toBe(201);
    expect(key.body.key).not.toBe(chosen);
    expect(key.body.id).not.toBe('key_forged');
    expectError(await send('GET', '/api/v1/api-keys/whoami', { key: chosen }), 401);
  });

  it('refuses NUL characters in bodies and URLs with 400 on every store', async () => {
    expectError(
      await send('POST', apps(), { body: anApp({ name: 'a\u0000b' }) }),
      400,
      'Request body must not contain NUL (\\u0000) characters',
    );
    expectError(await send('GET', `${apps()}?search=a%00b`), 400, 'Request URL must not contain NUL (%00) characters');
    expectError(await send('GET', `${apps()}/x%00y`), 400, 'Request URL must not contain NUL (%00) characters');
    const literal = await send('POST', apps(), { body: anApp({ name: 'a\\u0000b' }) });
    expect(literal.status).toBe(201);
    expect(literal.body.name).toBe('a\\u0000b');
  });

  it('answers an unexpected internal failure with a generic 500', async () => {
    const app = (await send('POST', apps(), { body: anApp() })).body;
    const domain = (await send('POST', `${apps()}/${app.id}/domains`, { body: { domain: 'boom.example.com' } })).body;
    const failed = await send('POST', `${apps()}/${app.id}/domains/${domain.id}/verify`);
    expect(failed.status).toBe(500);
    expect(failed.body).toEqual({ statusCode: 500, message: 'Internal server error', error: 'Internal Server Error' });
  });

  it('never answers with a stack trace or an internal detail', async () => {
    const more = [
      await send('GET', apps(), { key: null }),
      await send('GET', apps(), { key: 'dor_sk_unknown' }),
      await send('GET', '/api/v1/workspaces/ws_nope/apps'),
      await send('POST', apps(), { body: anApp({ slug: 'dup' }) }),
      await send('POST', apps(), { body: anApp({ slug: 'dup' }) }),
      await send('POST', apps(), { body: { name: 5, slug: ['x'], cpuLimitMillicores: 'lots', minReplicas: -1 } }),
      await send('GET', `${apps()}?limit=1000&page=-1&type=%7B%7D`),
      await send('DELETE', `${apps()}/app_missing/permanent`),
    ];
    expect(more.map((r) => r.status)).toEqual([401, 401, 404, 201, 409, 400, 400, 404]);
    const failures = seen.filter((result) => result.status >= 400);
    expect(failures.length).toBeGreaterThanOrEqual(7);
    for (const failure of failures) {
      const text = JSON.stringify(failure.body);
      for (const pattern of internals) expect(text, text).not.toMatch(pattern);
      expect(Object.keys(failure.body as object).sort()).toEqual(['error', 'message', 'statusCode']);
      expect(failure.headers.get('content-type')).toMatch(/^application\/json/);
    }
  });
});
