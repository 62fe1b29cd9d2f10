// The REST dialect's apps (spec 003) in process, on SQLite and PostgreSQL: drafts with a default
// empty version, keyset pages forwards and backwards, JSON filters and orders (from SQL or the catalog of live apps),
// the shorthands, soft delete, restore (409 on a taken handle), purge, and bad input answered 400
// naming the bad part.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anotherWorkspace } from '../support/another-workspace.js';
import { expectError } from '../support/expect-error.js';
import { backends, startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';

const q = (params: Record<string, unknown>) =>
  '?' + new URLSearchParams(Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]))).toString();

describe.each(backends)('REST apps on %s', (backend) => {
  let t: TestBerth;
  const create = (body: unknown) => t.request('POST', '/api/apps', { body });
  const list = (params: Record<string, unknown> = {}) => t.request('GET', `/api/apps${q(params)}`);
  const names = (res: { body: any }) => (res.body.data as { name: string }[]).map((a) => a.name);

  beforeAll(async () => {
    t = await startTestBerth(backend, { via: 'inject' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('creates a draft with a handle, public access and an empty default version; get shows the same', async () => {
    const res = await create({ workspaceId: t.workspaceId, name: 'Draft One', description: 'first', handle: 'draft-one', publicAccess: true });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^app_/),
      workspaceId: t.workspaceId,
      name: 'Draft One',
      description: 'first',
      handle: 'draft-one',
      defaultVersionId: expect.stringMatching(/^appver_/),
      status: 'draft',
      publicAccess: true,
      pagesProjectId: null,
      apiKeyId: expect.stringMatching(/^key_/),
      config: { nodeVersion: null, env: {} },
      createdBy: expect.stringMatching(/^key_/),
      deletedAt: null,
      retentionTier: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const version = await t.berth.store.appVersions.byId(res.body.defaultVersionId);
    expect(version).toMatchObject({ appId: res.body.id, copiedFrom: null });
    expect((await t.request('GET', `/api/apps/${res.body.id}`)).body).toEqual(res.body);
    const derived = await create({ name: 'Draft One' });
    expect(derived.body).toMatchObject({ handle: 'draft-one-2', publicAccess: false });
  });

  it('refuses a taken handle (409), a bad handle and unknown fields (400)', async () => {
    await create({ name: 'Taken', handle: 'taken' });
    expectError(await create({ name: 'Again', handle: 'taken' }), 409);
    const bad = await create({ name: 'X', handle: 'Not A Handle', colour: 'red' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('additional properties');
    const reserved = await create({ name: 'X', handle: 'preview' });
    expect(reserved.status).toBe(400);
    expect(JSON.stringify(reserved.body)).toContain('handle');
  });

  it('patches name, handle, public access, the default version and config (nodeVersion, env)', async () => {
    const app = (await create({ name: 'Patchable' })).body;
    const res = await t.request('PATCH', `/api/apps/${app.id}`, {
      body: { name: 'Patched', handle: 'patched-handle', publicAccess: true, defaultVersionId: app.defaultVersionId, config: { nodeVersion: '20', env: { VITE_A: '1', B: '2' } } },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ name: 'Patched', handle: 'patched-handle', publicAccess: true, config: { nodeVersion: '20', env: { VITE_A: '1', B: '2' } } });
    const removed = await t.request('PATCH', `/api/apps/${app.id}`, { body: { config: { env: { B: null } } } });
    expect(removed.body.config.env).toEqual({ VITE_A: '1' });
    const other = (await create({ name: 'Other' })).body;
    const wrong = await t.request('PATCH', `/api/apps/${app.id}`, { body: { defaultVersionId: other.defaultVersionId, config: { nodeVersion: 'latest!' } } });
    expectError(wrong, 400, [`defaultVersionId "${other.defaultVersionId}" is not a version of this app`, 'config.nodeVersion must be a Node.js version such as "20" or "22.11"']);
    expectError(await t.request('PATCH', '/api/apps/app_nope', { body: { name: 'x' } }), 404);
    await t.request('PATCH', `/api/apps/${other.id}`, { body: { config: { env: { ONLY_OTHER: 'yes' } } } });
    const listed = (await t.request('GET', `/api/apps?ids=${app.id},${other.id}`)).body.data as { id: string; config: { env: Record<string, string> } }[];
    expect(Object.fromEntries(listed.map((a) => [a.id, a.config.env]))).toEqual({ [app.id]: { VITE_A: '1' }, [other.id]: { ONLY_OTHER: 'yes' } });
  });

  it('soft-deletes, lists with include_deleted, restores, refuses a restore whose handle was taken, purges', async () => {
    const app = (await create({ name: 'Lazarus', handle: 'lazarus' })).body;
    expect((await t.request('DELETE', `/api/apps/${app.id}`)).body).toEqual({ success: true });
    expectError(await t.request('GET', `/api/apps/${app.id}`), 404);
    expect(names(await list({ filter: { handle: 'lazarus' } }))).toEqual([]);
    const only = await list({ include_deleted: 'only', filter: { handle: 'lazarus' } });
    expect(only.body.data).toEqual([expect.objectContaining({ id: app.id, deletedAt: expect.any(String) })]);
    expect(names(await list({ include_deleted: 'true', filter: { handle: 'lazarus' } }))).toEqual(['Lazarus']);
    const restored = await t.request('POST', `/api/apps/${app.id}/restore`);
    expect(restored.status, JSON.stringify(restored.body)).toBe(200);
    expect(restored.body).toMatchObject({ id: app.id, deletedAt: null, handle: 'lazarus' });

    await t.request('DELETE', `/api/apps/${app.id}`);
    const usurper = (await create({ name: 'Usurper', handle: 'lazarus' })).body;
    expectError(await t.request('POST', `/api/apps/${app.id}/restore`), 409, 'handle "lazarus" was taken by another app since this one was deleted; change that app\'s handle first');
    expectError(await t.request('POST', `/api/apps/${usurper.id}/restore`), 404);
    expect((await t.request('DELETE', `/api/apps/${app.id}/purge`)).body).toEqual({ success: true });
    expect(names(await list({ include_deleted: 'only', ids: app.id }))).toEqual([]);
    expect(await t.berth.store.appVersions.byId(app.defaultVersionId)).toBeNull();
  });

  describe('keyset pages, filters and orders', () => {
    const prefix = 'kp-';
    beforeAll(async () => {
      for (let i = 0; i < 7; i++) await create({ name: `${prefix}${i}`, ...(i % 2 === 0 ? { description: `even ${i}` } : {}), publicAccess: i < 3 });
    });
    const mine = { name: { startsWith: prefix } };

    it('walks forwards and backwards with cursors; pageInfo tells the total and the edges', async () => {
      const order = [{ name: 'asc' }];
      const first = await list({ filter: mine, orderBy: order, limit: 3 });
      expect(first.status, JSON.stringify(first.body)).toBe(200);
      expect(names(first)).toEqual(['kp-0', 'kp-1', 'kp-2']);
      expect(first.body.pageInfo).toMatchObject({ total: 7, hasNextPage: true, hasPreviousPage: false });
      const second = await list({ filter: mine, orderBy: order, limit: 3, after: first.body.pageInfo.endCursor });
      expect(names(second)).toEqual(['kp-3', 'kp-4', 'kp-5']);
      expect(second.body.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
      const third = await list({ filter: mine, orderBy: order, limit: 3, after: second.body.pageInfo.endCursor });
      expect(names(third)).toEqual(['kp-6']);
      expect(third.body.pageInfo.hasNextPage).toBe(false);
      const back = await list({ filter: mine, orderBy: order, limit: 3, before: second.body.pageInfo.startCursor });
      expect(names(back)).toEqual(['kp-0', 'kp-1', 'kp-2']);
      expect(back.body.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    });

    it('tells a total that follows every change to the apps, though pages after the first reuse it', async () => {
      const theirs = { name: { startsWith: 'ka-' } };
      const total = async () => (await list({ filter: theirs, limit: 1 })).body.pageInfo.total;
      expect(await total()).toBe(0);
      const a = (await create({ name: 'ka-a' })).body;
      expect(await total()).toBe(1);
      await create({ name: 'ka-b' });
      expect(await total()).toBe(2);
      await t.request('PATCH', `/api/apps/${a.id}`, { body: { name: 'renamed-a' } });
      expect(await total()).toBe(1);
      await t.request('PATCH', `/api/apps/${a.id}`, { body: { name: 'ka-a' } });
      await t.request('DELETE', `/api/apps/${a.id}`);
      expect(await total()).toBe(1);
      await t.request('POST', `/api/apps/${a.id}/restore`);
      expect(await total()).toBe(2);
    });

    it('shows every change to the apps in the very next page: renames, public access, env, deletes and restores', async () => {
      const theirs = { name: { startsWith: 'kc-' } };
      const page = async (filter: unknown = theirs) => (await list({ filter, orderBy: [{ name: 'asc' }], limit: 10 })).body;
      const b = (await create({ name: 'kc-b' })).body;
      await create({ name: 'kc-c' });
      expect(names({ body: await page() })).toEqual(['kc-b', 'kc-c']);
      await t.request('PATCH', `/api/apps/${b.id}`, { body: { name: 'kc-d' } });
      expect(names({ body: await page() })).toEqual(['kc-c', 'kc-d']);
      await t.request('PATCH', `/api/apps/${b.id}`, { body: { publicAccess: true, config: { env: { SHOWN: 'yes' } } } });
      const shown = await page({ AND: [theirs, { publicAccess: true }] });
      expect(shown.data.map((a: { name: string; config: unknown }) => [a.name, a.config])).toEqual([['kc-d', { nodeVersion: null, env: { SHOWN: 'yes' } }]]);
      await t.request('DELETE', `/api/apps/${b.id}`);
      expect(names({ body: await page() })).toEqual(['kc-c']);
      expect(names({ body: (await list({ filter: theirs, orderBy: [{ name: 'asc' }], include_deleted: 'true' })).body })).toEqual(['kc-c', 'kc-d']);
      await t.request('POST', `/api/apps/${b.id}/restore`);
      expect((await page()).pageInfo.total).toBe(2);
      expect(names({ body: await page() })).toEqual(['kc-c', 'kc-d']);
    });

    it('orders by several keys with explicit nulls placement', async () => {
      const res = await list({ filter: mine, orderBy: [{ description: 'asc_nulls_first' }, { name: 'desc' }] });
      expect(names(res)).toEqual(['kp-5', 'kp-3', 'kp-1', 'kp-0', 'kp-2', 'kp-4', 'kp-6']);
      const last = await list({ filter: mine, orderBy: [{ description: 'desc_nulls_last' }], limit: 2 });
      expect(names(last)).toEqual(['kp-6', 'kp-4']);
      const rest = await list({ filter: mine, orderBy: [{ description: 'desc_nulls_last' }], limit: 10, after: last.body.pageInfo.endCursor });
      expect(names(rest).slice(0, 2)).toEqual(['kp-2', 'kp-0']);
      expect(names(rest)).toHaveLength(5);
    });

    it('filters with AND / OR / NOT and comparison operators, and the shorthands', async () => {
      const or = await list({ filter: { AND: [mine, { OR: [{ name: 'kp-1' }, { name: { in: ['kp-5', 'kp-6'] } }] }] }, orderBy: [{ name: 'asc' }] });
      expect(names(or)).toEqual(['kp-1', 'kp-5', 'kp-6']);
      const not = await list({ filter: { ...mine, NOT: { publicAccess: true }, description: { not: null } }, orderBy: [{ name: 'asc' }] });
      expect(names(not)).toEqual(['kp-4', 'kp-6']);
      const cmp = await list({ filter: { ...mine, name: { gte: 'kp-5' }, status: { equals: 'draft' } } });
      expect(names(cmp).sort()).toEqual(['kp-5', 'kp-6']);
      const like = await list({ filter: { description: { contains: 'EVEN 4' } } });
      expect(names(like)).toEqual(['kp-4']);
      expect(names(await list({ filter: { name: { contains: '%' } } }))).toEqual([]);
      const shorthand = await list({ name: 'KP-', public_access: 'true', status: 'draft', orderBy: [{ name: 'asc' }] });
      expect(names(shorthand)).toEqual(['kp-0', 'kp-1', 'kp-2']);
      const byIds = (await list({ filter: mine, limit: 2 })).body.data.map((a: { id: string }) => a.id);
      expect((await list({ ids: byIds.join(',') })).body.pageInfo.total).toBe(2);
      expect((await list({ retention_tier: 'hot' })).body.data).toEqual([]);
      const now = new Date().toISOString();
      expect(names(await list({ filter: { ...mine, createdAt: { gt: now } } }))).toEqual([]);
    });

    it('refuses bad filters, orders, cursors and limits with a 400 naming the bad part', async () => {
      expectError(await list({ filter: { colour: 'red' } }), 400, 'filter.colour: unknown field; filterable fields are id, name, description, handle, status, publicAccess, defaultVersionId, createdBy, apiKeyId, createdAt, updatedAt, deletedAt, AND, OR, NOT');
      expectError(await list({ filter: { OR: [{ name: 'a' }, { status: { gt: 'live' } }] } }), 400, 'filter.OR[1].status.gt: unknown operator for status; use one of equals, not, in, notIn');
      expectError(await list({ filter: { name: { like: 'a' } } }), 400, 'filter.name.like: unknown operator for name; use one of equals, not, in, notIn, lt, lte, gt, gte, contains, startsWith, endsWith');
      expectError(await list({ filter: { publicAccess: 'yes', createdAt: { lt: 'yesterday' } } }), 400, ['filter.publicAccess: must be true or false', 'filter.createdAt.lt: must be an ISO-8601 date-time']);
      expectError(await list({ filter: '{nope' }), 400, 'filter: is not valid JSON');
      expectError(await list({ orderBy: [{ colour: 'asc' }] }), 400, 'orderBy[0].colour: unknown field; sortable fields are id, name, description, handle, status, publicAccess, defaultVersionId, createdBy, apiKeyId, createdAt, updatedAt, deletedAt');
      expectError(await list({ orderBy: [{ name: 'up' }] }), 400, 'orderBy[0].name: direction must be one of asc, desc, asc_nulls_first, asc_nulls_last, desc_nulls_first, desc_nulls_last');
      const cursor = (await list({ filter: mine, limit: 1 })).body.pageInfo.endCursor;
      expectError(await list({ filter: { name: 'other' }, limit: 1, after: cursor }), 400, 'after is not a cursor of this query (a cursor is only valid with the filter, order and scope that returned it)');
      expectError(await list({ after: 'garbage' }), 400);
      expect((await list({ limit: '0' })).status).toBe(400);
      expect((await list({ limit: '101' })).status).toBe(400);
      expect((await list({ include_deleted: 'maybe' })).status).toBe(400);
    });
  });

  it('keeps workspaces apart: another workspace is not found, its apps never listed', async () => {
    const other = await anotherWorkspace(t);
    const theirs = await t.request('POST', '/api/apps', { key: other.key, body: { name: 'Theirs' } });
    expect(theirs.status).toBe(201);
    expect((await list({ ids: theirs.body.id })).body.data).toEqual([]);
    expectError(await t.request('GET', `/api/apps/${theirs.body.id}`), 404);
    expectError(await list({ workspace_id: other.workspaceId }), 404);
    expectError(await t.request('GET', '/api/apps', { key: null }), 401);
  });
});
