// The catalog answers from memory but never from before a write: a write drops the workspace's
// copy, and a load that read the rows before a write finished is not kept.
import { describe, expect, it } from 'vitest';
import type { App } from '../../domain/app.js';
import { appCatalog } from './app-catalog.js';

const anApp = (id: string, fields: Partial<App> = {}): App =>
  ({ id, workspaceId: 'ws_1', name: `App ${id}`, type: 'web', status: 'stopped', ...fields }) as App;

function fakeTable(apps: App[]) {
  let rows = apps;
  let loads = 0;
  let gate: Promise<void> | null = null;
  return {
    load: async (workspaceId: string) => {
      loads += 1;
      const snapshot = rows.filter((app) => app.workspaceId === workspaceId);
      await gate;
      return snapshot;
    },
    set: (next: App[]) => (rows = next),
    loads: () => loads,
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
    const catalog = appCatalog(table.load);
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

  it('loads again after a write to the workspace or to one of its apps', async () => {
    const table = fakeTable([anApp('a')]);
    const catalog = appCatalog(table.load);
    await catalog.list({ workspaceId: 'ws_1', page: 1, limit: 20 });
    table.set([anApp('b'), anApp('a')]);
    catalog.changed('ws_1');
    expect(ids(await catalog.list({ workspaceId: 'ws_1', page: 1, limit: 20 }))).toEqual(['b', 'a']);
    table.set([anApp('b', { status: 'active' }), anApp('a')]);
    catalog.appChanged('b');
    expect((await catalog.list({ workspaceId: 'ws_1', page: 1, limit: 20, status: 'active' })).total).toBe(1);
  });

  it('does not keep a load that read the rows before a write finished', async () => {
    const table = fakeTable([anApp('a')]);
    const catalog = appCatalog(table.load);
    const release = table.hold();
    const early = catalog.list({ workspaceId: 'ws_1', page: 1, limit: 20 });
    table.set([anApp('b'), anApp('a')]);
    catalog.appChanged('b'); // an app no kept listing holds yet
    release();
    expect(ids(await early)).toEqual(['a']); // it raced the write and may answer what it read
    expect(ids(await catalog.list({ workspaceId: 'ws_1', page: 1, limit: 20 }))).toEqual(['b', 'a']);
  });

  it('hands out frozen apps, so no caller can change the copy others read', async () => {
    const catalog = appCatalog(fakeTable([anApp('a')]).load);
    const [app] = (await catalog.list({ workspaceId: 'ws_1', page: 1, limit: 20 })).apps;
    expect(Object.isFrozen(app)).toBe(true);
  });
});
