// The prune after a deployment, in process on SQLite and PostgreSQL (BERTH_KEEP_REVISIONS=1, one
// build at a time): it runs once the build slot is freed, so the build queued behind that
// deployment runs and finishes while the prune is held (through the prune seam, StartOptions.
// aroundPrune); and among many apps it reads only the app it prunes (each store call made inside
// it is recorded), while still removing the tarball that app no longer keeps, and, once the app is
// purged, its artifacts and trees but for one another app's revision shares.
import { AsyncLocalStorage } from 'node:async_hooks';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/core/ports/store.js';
import { tarballOf } from '../build/tarballs.js';
import { until } from '../e2e/support/edge-client.js';
import { multipartBody, postBuild } from '../support/apps-v1.js';
import { backends, startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';

/** Repository methods that read every app (or every app's rows). */
const everyApp = ['apps.listLive', 'apps.list', 'apps.listWithTraffic', 'traffic.all', 'appBuilds.keptImageRefs', 'revisions.listForReconcile'];

interface StoreCall {
  scope: string;
  method: string;
  /** The app ids among its arguments. */
  appIds: string[];
}

/** Records each repository call made inside a prune (by its async context), then makes it. */
function recordPruneCalls(store: Store, inPrune: AsyncLocalStorage<string>, calls: StoreCall[]): void {
  for (const [repoName, repo] of Object.entries(store) as [string, Record<string, unknown>][]) {
    for (const [name, fn] of Object.entries(repo)) {
      if (typeof fn !== 'function') continue;
      repo[name] = (...args: unknown[]) => {
        const scope = inPrune.getStore();
        if (scope) {
          const appIds = args.flat().filter((a): a is string => typeof a === 'string' && a.startsWith('app_'));
          calls.push({ scope, method: `${repoName}.${name}`, appIds });
        }
        return (fn as (...a: unknown[]) => unknown).apply(repo, args);
      };
    }
  }
}

describe.each(backends)('pruning one app after its deployment on %s', (backend) => {
  let t: TestBerth;
  const inPrune = new AsyncLocalStorage<string>();
  const calls: StoreCall[] = [];
  /** Prunes that have ended, by scope (`app:<id>`). */
  const ended: string[] = [];
  /** Prunes to hold once they start, by scope. */
  const holds = new Map<string, { reached: () => void; opened: Promise<void> }>();
  const ws = (rest: string) => `/api/v1/workspaces/${t.workspaceId}${rest}`;
  const site = (n: number) => tarballOf({ 'index.html': `<p>release ${n}</p>` });
  const tarball = (uploadId: string) => fs.existsSync(path.join(t.dataDir, 'builds', 'uploads', `${uploadId}.tar.gz`));
  const settled = (id: string) => until(async () => (await t.request('GET', ws(`/deploy/${id}`))).body, (d) => ['succeeded', 'failed', 'cancelled'].includes(d.status), 60_000, 100);
  const anApp = async (slug: string) => (await t.request('POST', ws('/apps'), { body: { name: slug, slug, visibility: 'public' } })).body as { id: string };
  const build = async (appId: string, n: number) => {
    const built = await postBuild(t, appId, multipartBody({ filename: 'site.tar.gz', data: await site(n) }));
    expect(built.status, JSON.stringify(built.body)).toBe(202);
    return built.body as { deployment: { id: string }; upload: { id: string } };
  };

  /** Holds the next prune of `scope` once it starts; `open` lets it go on. */
  function hold(scope: string) {
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    const reached = new Promise<void>((resolve) => holds.set(scope, { reached: resolve, opened }));
    return { reached, open };
  }

  beforeAll(async () => {
    t = await startTestBerth(backend, {
      via: 'inject',
      env: { BERTH_KEEP_REVISIONS: '1', BERTH_BUILD_CONCURRENCY: '1', BERTH_ARTIFACT_GRACE_MS: '0', BERTH_READY_TIMEOUT_MS: '20000' },
      start: {
        aroundPrune: async (scope, run) => {
          const held = holds.get(scope);
          if (held) {
            holds.delete(scope);
            held.reached();
            await held.opened;
          }
          await inPrune.run(scope, run);
          ended.push(scope);
        },
      },
    });
    recordPruneCalls(t.berth.store, inPrune, calls);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('runs the build queued behind a deployment while the prune after that deployment is held', { timeout: 120_000 }, async () => {
    const first = await anApp(`slot-a-${backend}`);
    const next = await anApp(`slot-b-${backend}`);
    const scope = `app:${first.id}`;
    const held = hold(scope);
    try {
      const running = await build(first.id, 1);
      const queued = await build(next.id, 2); // waits for the one build slot
      await held.reached;
      expect((await settled(running.deployment.id)).status).toBe('succeeded');
      const done = await settled(queued.deployment.id);
      expect(done.status, JSON.stringify(done)).toBe('succeeded');
      expect(ended).not.toContain(scope);
    } finally {
      held.open();
    }
    expect(await until(async () => ended.includes(scope), (yes) => yes, 30_000, 20)).toBe(true);
  });

  it('reads only the app it prunes among many, and removes the tarball that app no longer keeps', { timeout: 120_000 }, async () => {
    for (let i = 0; i < 40; i++) await anApp(`many-${i}-${backend}`);
    // Deploys what the pruned app's older deployment deploys: the same content-addressed artifact.
    const sharer = await anApp(`sharer-${backend}`);
    expect((await settled((await build(sharer.id, 3)).deployment.id)).status).toBe('succeeded');
    const app = await anApp(`pruned-${backend}`);
    const scope = `app:${app.id}`;
    const older = await build(app.id, 3);
    expect((await settled(older.deployment.id)).status).toBe('succeeded');
    const newer = await build(app.id, 4);
    expect((await settled(newer.deployment.id)).status).toBe('succeeded');
    expect(await until(async () => tarball(older.upload.id), (there) => !there, 30_000, 20)).toBe(false);
    expect(tarball(newer.upload.id)).toBe(true);

    const mine = calls.filter((call) => call.scope === scope);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.filter((call) => everyApp.includes(call.method))).toEqual([]);
    expect([...new Set(mine.flatMap((call) => call.appIds))]).toEqual([app.id]);

    // Purged: its artifacts and trees go with its rows (pruned while the rows still say what is its),
    // but for the artifact the other app's revision shares.
    const artifact = (ref: string | undefined) => path.join(t.dataDir, 'builds', 'artifacts', ref?.replace('sha256:', '') ?? '');
    const revisions = await t.berth.store.revisions.list(app.id);
    const shared = artifact((await t.berth.store.revisions.list(sharer.id))[0]?.imageRef);
    const own = revisions.flatMap((r) => [artifact(r.imageRef), r.artifactDir]);
    expect(own).toContain(shared);
    expect(own.filter((p) => fs.existsSync(p))).toHaveLength(4);
    expect((await t.request('DELETE', ws(`/apps/${app.id}/permanent`))).status).toBeLessThan(300);
    expect(own.filter((p) => fs.existsSync(p))).toEqual([shared]);
  });
});
