// Property: whatever body or query string reaches a create, update or list endpoint of the
// Dooor API, Berth never answers 5xx, every 4xx is the NestJS error body with the HTTP status
// in it, and a refused request leaves the store as it was. Both store backends, in process through
// fastify's inject (the same content-type parsing, validation and error mapping as over a socket).
// BERTH_FUZZ_RUNS (default 150) sets the runs per endpoint; BERTH_FUZZ_SEED replays a failure.
import fc from 'fast-check';
import type { Arbitrary } from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startTestBerth } from '../support/test-berth.js';
import type { HttpResult, TestBerth } from '../support/test-berth.js';
import { payloads, queryString, taken, validBodies } from './fuzz-inputs.js';
import type { Body, Payload } from './fuzz-inputs.js';
import { snapshotStore } from './store-snapshot.js';
import type { StoreSnapshot } from './store-snapshot.js';

const runs = Number(process.env.BERTH_FUZZ_RUNS ?? 150);
const seed = process.env.BERTH_FUZZ_SEED ? Number(process.env.BERTH_FUZZ_SEED) : undefined;
const settings = { numRuns: runs, ...(seed === undefined ? {} : { seed }) };

interface Endpoint {
  method: 'GET' | 'POST' | 'PATCH';
  /** Path under /api/v1/workspaces/{ws}; `:app` is the fuzzed app. */
  path: string;
  valid?: Arbitrary<Body>;
  /** Bodies that once broke Berth, tried before the random ones. */
  regressions?: Body[];
}

/** A leap second passed the date-time format but is Invalid Date in JavaScript (was a 500). */
const leapSecond = { expiresAt: '2030-06-30T23:59:60Z' };

const writes: Endpoint[] = [
  { method: 'POST', path: '/apps', valid: validBodies.createApp },
  { method: 'PATCH', path: '/apps/:app', valid: validBodies.patchApp },
  { method: 'PATCH', path: '/apps/:app/source', valid: validBodies.source },
  { method: 'POST', path: '/apps/:app/env-vars', valid: validBodies.envVar },
  { method: 'POST', path: '/apps/:app/env-vars/bulk', valid: validBodies.bulkEnvVars },
  { method: 'POST', path: '/apps/:app/public-shares', valid: validBodies.share, regressions: [leapSecond] },
  { method: 'POST', path: '/apps/:app/domains', valid: validBodies.domain },
  {
    method: 'POST',
    path: '/api-keys',
    valid: validBodies.apiKey,
    regressions: [{ name: 'k', scopes: ['apps:read'], ...leapSecond }],
  },
];

const lists: Endpoint[] = [
  { method: 'GET', path: '/apps' },
  { method: 'GET', path: '/api-keys' },
  { method: 'GET', path: '/apps/:app/env-vars' },
  { method: 'GET', path: '/apps/:app/public-shares' },
  { method: 'GET', path: '/apps/:app/domains' },
];

const describeResult = (result: HttpResult) => `${result.status} ${JSON.stringify(result.body)?.slice(0, 500)}`;

/** Never a 5xx; a 4xx is exactly `{ statusCode, message, error }` with statusCode = the HTTP status. */
function expectHonestAnswer(result: HttpResult): void {
  expect(result.status, describeResult(result)).toBeLessThan(500);
  if (result.status < 400) return;
  const body = result.body as Record<string, unknown>;
  expect(body !== null && typeof body === 'object' && !Array.isArray(body), describeResult(result)).toBe(true);
  expect(Object.keys(body).sort(), describeResult(result)).toEqual(['error', 'message', 'statusCode']);
  expect(body.statusCode, describeResult(result)).toBe(result.status);
  expect(typeof body.error, describeResult(result)).toBe('string');
  const message = body.message;
  const textual =
    typeof message === 'string' ||
    (Array.isArray(message) && message.length > 0 && message.every((m) => typeof m === 'string'));
  expect(textual, describeResult(result)).toBe(true);
}

describe.each(backends)('API fuzz on %s', (backend) => {
  let t: TestBerth;
  let appId: string;
  /** The last snapshot, still true while every request since it was refused (and proven harmless). */
  let known: StoreSnapshot | null = null;

  beforeAll(async () => {
    t = await startTestBerth(backend, { via: 'inject' });
    const ws = `/api/v1/workspaces/${t.workspaceId}`;
    const [target, other] = await Promise.all(
      taken.slugs.map((slug) => t.request('POST', `${ws}/apps`, { body: { name: slug, slug } })),
    );
    expect([target?.status, other?.status]).toEqual([201, 201]);
    appId = target?.body.id;
    const seeded = await Promise.all([
      t.request('POST', `${ws}/apps/${appId}/env-vars`, { body: { key: 'SEEDED', value: 's', isSecret: true } }),
      t.request('POST', `${ws}/apps/${appId}/domains`, { body: { domain: taken.domain } }),
      t.request('POST', `${ws}/apps/${appId}/public-shares`, { body: {} }),
    ]);
    expect(seeded.map((r) => r.status)).toEqual([201, 201, 201]);
  });
  afterAll(async () => t?.close());

  const url = (endpoint: Endpoint, query: string | null) =>
    `/api/v1/workspaces/${t.workspaceId}${endpoint.path.replace(':app', appId)}${query ? `?${query}` : ''}`;

  async function send(endpoint: Endpoint, payload: Payload | null, query: string | null): Promise<HttpResult> {
    if (!payload) return t.request(endpoint.method, url(endpoint, query));
    const body = payload.kind === 'json' ? JSON.stringify(payload.value) : payload.text;
    const contentType = payload.kind === 'json' ? 'application/json' : payload.contentType;
    return t.request(endpoint.method, url(endpoint, query), {
      body,
      headers: contentType ? { 'content-type': contentType } : {},
    });
  }

  async function check(endpoint: Endpoint, payload: Payload | null, query: string | null): Promise<void> {
    const before = known ?? (await snapshotStore(t, appId));
    known = null; // until this run proves the store is as `before` says (a failing run leaves it unknown)
    const result = await send(endpoint, payload, query);
    expectHonestAnswer(result);
    // A successful write changes the store; a successful read must not, and the next refusal's
    // comparison against `before` would catch one that did.
    if (result.status < 400) {
      if (endpoint.method === 'GET') known = before;
      return;
    }
    const after = await snapshotStore(t, appId);
    expect(
      after,
      `${endpoint.method} ${endpoint.path} answered ${describeResult(result)} but changed the store`,
    ).toEqual(before);
    known = after;
  }

  it.each(writes.map((e) => [`${e.method} ${e.path}`, e] as const))(
    '%s: random and mutated bodies, random query strings',
    async (_name, endpoint) => {
      const valid = endpoint.valid ?? fc.constant({});
      await fc.assert(
        fc.asyncProperty(payloads(valid), fc.option(queryString, { freq: 4 }), (payload, query) =>
          check(endpoint, payload, query),
        ),
        {
          ...settings,
          examples: (endpoint.regressions ?? []).map((value): [Payload, string | null] => [
            { kind: 'json', value },
            null,
          ]),
        },
      );
    },
    180_000,
  );

  it.each(lists.map((e) => [`${e.method} ${e.path}`, e] as const))(
    '%s: random query strings',
    async (_name, endpoint) => {
      await fc.assert(
        fc.asyncProperty(queryString, (query) => check(endpoint, null, query)),
        settings,
      );
    },
    180_000,
  );
});
