// Listing reads the in-memory app catalog (src/store/repositories/app-catalog.ts). On both stores,
// over real HTTP: a workspace larger than one load slice pages completely and in order, and every
// kind of write is visible to the very next list, search and stats call.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';

const count = 1_005; // more than one slice of 1,000

describe.each(backends)('app catalog on %s', (backend) => {
  let t: TestBerth;
  const apps = () => `/api/v1/workspaces/${t.workspaceId}/apps`;
  const list = async (query: string) => (await t.request('GET', `${apps()}?${query}`)).body;

  beforeAll(async () => {
    t = await startTestBerth(backend);
    const actor = await t.berth.core.authenticate({ plainKey: t.key });
    for (let first = 0; first < count; first += 100) {
      await Promise.all(
        Array.from({ length: Math.min(100, count - first) }, (_, k) =>
          t.berth.core.createApp({
            actor,
            workspaceId: t.workspaceId,
            name: `Bulk ${first + k}`,
            slug: `bulk-${first + k}`,
          }),
        ),
      );
    }
  }, 120_000);
  afterAll(async () => t?.close());

  it('pages through every app once, newest first', async () => {
    const seen: string[] = [];
    for (let page = 1; page <= 11; page++) {
      const body = await list(`page=${page}&limit=100`);
      expect(body.meta).toEqual({ total: count, page, limit: 100, totalPages: 11 });
      seen.push(...body.data.map((app: { id: string }) => app.id));
    }
    expect(seen).toHaveLength(count);
    expect([...seen].sort().reverse()).toEqual(seen);
  });

  it('shows each write to the next read: create, rename, delete, and stats', async () => {
    const created = await t.request('POST', apps(), { body: { name: 'Needle One', slug: 'needle-one' } });
    expect(created.status).toBe(201);
    expect((await list('limit=1')).data[0].id).toBe(created.body.id);
    expect((await list('search=needle')).meta.total).toBe(1);

    expect((await t.request('PATCH', `${apps()}/${created.body.id}`, { body: { name: 'Haystack Two' } })).status).toBe(
      200,
    );
    expect((await list('search=needle')).meta.total).toBe(0);
    expect((await list('search=haystack')).data.map((app: { name: string }) => app.name)).toEqual(['Haystack Two']);

    expect((await t.request('DELETE', `${apps()}/${created.body.id}`)).status).toBe(204);
    expect((await list('search=haystack')).meta.total).toBe(0);
    expect((await list('limit=1')).meta.total).toBe(count);
    expect((await t.request('GET', `${apps()}/stats`)).body).toMatchObject({ total: count, stopped: count });
  });
});
