// Authentication reads keys through a short-lived cache (src/store/repositories/cached-api-keys.ts);
// over real HTTP on both stores, a key that was just used, and so is cached, is still refused at
// once when it is deleted or when it expires.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from '../support/expect-error.js';
import { shiftableClock } from '../support/shiftable-clock.js';
import { backends, startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';

describe.each(backends)('cached keys on %s', (backend) => {
  let t: TestBerth;
  const clock = shiftableClock();
  const keys = () => `/api/v1/workspaces/${t.workspaceId}/api-keys`;
  const whoami = (key: string) => t.request('GET', '/api/v1/api-keys/whoami', { key });

  beforeAll(async () => {
    t = await startTestBerth(backend, { start: { clock } });
  });
  afterAll(async () => t?.close());

  it('refuses a cached key as soon as it is deleted', async () => {
    const created = (await t.request('POST', keys(), { body: { name: 'hot', scopes: ['apps:read'] } })).body;
    for (let i = 0; i < 3; i++) expect((await whoami(created.key)).status).toBe(200);
    expect((await t.request('DELETE', `${keys()}/${created.id}`)).status).toBe(204);
    expectError(await whoami(created.key), 401, 'Invalid API key');
  });

  it('refuses a cached key as soon as it expires', async () => {
    const expiresAt = new Date(clock.now().getTime() + 60_000).toISOString();
    const created = (await t.request('POST', keys(), { body: { name: 'brief', scopes: ['apps:read'], expiresAt } }))
      .body;
    for (let i = 0; i < 3; i++) expect((await whoami(created.key)).status).toBe(200);
    clock.advance(61_000);
    try {
      expectError(await whoami(created.key), 401, 'API key has expired');
    } finally {
      clock.reset();
    }
  });

  it('still records when a cached key was last used', async () => {
    const created = (await t.request('POST', keys(), { body: { name: 'used', scopes: ['apps:read'] } })).body;
    await whoami(created.key);
    clock.advance(120_000);
    try {
      await whoami(created.key);
      const listed = (await t.request('GET', keys())).body.find((k: { id: string }) => k.id === created.id);
      expect(Date.parse(listed.lastUsedAt)).toBeGreaterThanOrEqual(clock.now().getTime() - 5_000);
    } finally {
      clock.reset();
    }
  });
});
