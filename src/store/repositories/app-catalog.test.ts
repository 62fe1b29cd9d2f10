// The catalog answers from memory but never from before a write: a write to one app reads that
// app again (not the whole workspace), and a load that read the rows before a write finished is
// not kept.
import { describe, expect, it } from 'vitest';
import type { App } from '../../domain/app.js';
import { appCatalog, everyWorkspace } from './app-catalog.js';

const anApp = (id: string, fields: Partial<App> = {}): App =>
  ({ id, workspaceId: 'ws_1', name: `App ${id}`, type: 'web', status: 'stopped', ...fields }) as App;

function fakeTable(apps: App[]) {
  let rows = apps;
  let loads = 0;
  let rowReads = 0;
  let gate: Promise<void> | null = null;
  return {
    load: async (workspaceId: string) => {
      loads += 1;
      const snapshot = rows.filter((app) => workspaceId === everyWorkspace || app.workspaceId === workspaceId);
      await gate;
      return snapshot;
    },
    loadOne: async (appId: string) => {
      rowReads += 1;
      const row = rows.find((app) => app.id === appId) ?? null;
      await gate;
      return row;
    },
    set: (next: App[]) => (rows = next),
    loads: () => loads,
    rowReads: () => rowReads,
    hold() {
      let release = () => {};
      gate = new Promise((resolve) => (release = resolve));
      return () => {
        gate = null;
        release();
      };
    },
  };
}

const ids = (result: { apps: App[] }) => result.apps.map((app) => app.id);

describe('appCatalog', () => {
  it('pages, counts and filters from one load', async () => {
    const table = fakeTable([
      anApp('c', { name: 'Calm Otter', type: 'api' }),
      anApp('b', { name: 'Brisk Heron', status: 'active' }),
      anApp('a', { name: 'Amber OTTER' }),
    ]);
    const catalog = appCatalog(table.load, table.loadOne);
    expect(await catalog.list({ workspaceId: 'ws_1', page: 1, limit: 2 })).toMatchObject({ total: 3 });
    expect(ids(await catalog.list({ workspaceId: 'ws_1', page: 2, limit: 2 }))).toEqual(['a']);
    expect(ids(await catalog.list({ workspaceId: 'ws_1', page: 1, limit: 20, search: 'oTTer' }))).toEqual(['c', 'a']);
    expect(await catalog.list({ workspaceId: 'ws_1', page: 1, limit: 20, type: 'api' })).toMatchObject({ total: 1 });
    expect(
      ids(await catalog.list({ workspaceId: 'ws_1', page: 1, limit: 20, status: 'active', search: 'heron' })),
    ).toEqual(['b']);
    expect(await catalog.list({ workspaceId: 'ws_2', page: 1, limit: 20 })).toEqual({ apps: [], total: 0 });
    expect(table.loads()).toBe(2); // one per workspace
  });

  it('loads again after a write to the workspace as a whole', async () => {
    const table = fakeTable([anApp('a')]);
    const catalog = appCatalog(table.load, table.loadOne);
    await catalog.list({ workspaceId: 'ws_1', page: 1, limit: 20 });
    table.set([anApp('b'), anApp('a')]);
    catalog.changed('ws_1');
    expect(ids(await catalog.list({ workspaceId: 'ws_1', page: 1, limit: 20 }))).toEqual(['b', 'a']);
    expect(table.loads()).toBe(2);
  });

  it('reads only the app written again: a change, a new app in its place, a deleted one gone', async () => {
    const table = fakeTable([anApp('c', { name: 'Calm' }), anApp('a', { name: 'Amber' })]);
    const catalog = appCatalog(table.load, table.loadOne);
    await catalog.list({ workspaceId: 'ws_1', page: 1, limit: 20 });
    const before = await catalog.derived('ws_1', 'count', (apps) => apps.length);

    table.set([anApp('c', { name: 'Calm', status: 'active' }), anApp('b', { name: 'Brisk' }), anApp('a', { name: 'Amber' })]);
    catalog.appChanged('c');
    catalog.appChanged('b', 'ws_1');
    expect(ids(await catalog.list({ workspaceId: 'ws_1', page: 1, limit: 20 }))).toEqual(['c', 'b', 'a']);
    expect(ids(await catalog.list({ workspaceId: 'ws_1', page: 1, limit: 20, status: 'active' }))).toEqual(['c']);
    expect(ids(await catalog.list({ workspaceId: 'ws_1', page: 1, limit: 20, search: 'bri' }))).toEqual(['b']);
    expect(await catalog.derived('ws_1', 'count', (apps) => apps.length)).toBe(before + 1);

    table.set([anApp('c', { name: 'Calm', status: 'active' }), anApp('a', { name: 'Amber' })]);
    catalog.appChanged('b');
    expect(ids(await catalog.list({ workspaceId: 'ws_1', page: 1, limit: 20 }))).toEqual(['c', 'a']);
    expect(table.loads()).toBe(1);
    expect(table.rowReads()).toBe(3);
  });

  it('keeps every workspace’s listing (the route table’s) as current as each workspace’s', async () => {
    const table = fakeTable([anApp('b', { workspaceId: 'ws_2' }), anApp('a')]);
    const catalog = appCatalog(table.load, table.loadOne);
    expect((await catalog.all(everyWorkspace)).map((app) => app.id)).toEqual(['b', 'a']);
    await catalog.list({ workspaceId: 'ws_1', page: 1, limit: 20 });
    table.set([anApp('c', { workspaceId: 'ws_2' }), anApp('b', { workspaceId: 'ws_2', status: 'active' })]);
    catalog.appChanged('c', 'ws_2');
    catalog.appChanged('b');
    catalog.appChanged('a');
    expect((await catalog.all(everyWorkspace)).map((app) => [app.id, app.status])).toEqual([['c', 'stopped'], ['b', 'active']]);
    expect(ids(await catalog.list({ workspaceId: 'ws_1', page: 1, limit: 20 }))).toEqual([]);
    expect(table.loads()).toBe(2);
  });

  it('reads an app again when it is written while its row is being read', async () => {
    const table = fakeTable([anApp('a')]);
    const catalog = appCatalog(table.load, table.loadOne);
    await catalog.list({ workspaceId: 'ws_1', page: 1, limit: 20 });
    const release = table.hold();
    table.set([anApp('a', { status: 'deploying' })]);
    catalog.appChanged('a');
    const early = catalog.list({ workspaceId: 'ws_1', page: 1, limit: 20 });
    await new Promise((resolve) => setImmediate(resolve)); // the row is being read
    table.set([anApp('a', { status: 'active' })]);
    catalog.appChanged('a');
    const late = catalog.list({ workspaceId: 'ws_1', page: 1, limit: 20 });
    release();
    await early;
    expect((await late).apps[0]?.status).toBe('active');
  });

  it('does not keep a load that read the rows before a write finished', async () => {
    const table = fakeTable([anApp('a')]);
    const catalog = appCatalog(table.load, table.loadOne);
    const release = table.hold();
    const early = catalog.list({ workspaceId: 'ws_1', page: 1, limit: 20 });
    table.set([anApp('b'), anApp('a')]);
    catalog.appChanged('b'); // an app no kept listing holds yet
    release();
    expect(ids(await early)).toEqual(['a']); // it raced the write and may answer what it read
    expect(ids(await catalog.list({ workspaceId: 'ws_1', page: 1, limit: 20 }))).toEqual(['b', 'a']);
  });

  it('hands out frozen apps, so no caller can change the copy others read', async () => {
    const catalog = appCatalog(fakeTable([anApp('a')]).load, async () => null);
    const [app] = (await catalog.list({ workspaceId: 'ws_1', page: 1, limit: 20 })).apps;
    expect(Object.isFrozen(app)).toBe(true);
  });
});
