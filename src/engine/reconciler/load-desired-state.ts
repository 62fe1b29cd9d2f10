// One read of the desired state for a reconcile pass: apps with traffic, every split, and the
// revisions that may need instances (serving, recently served, or being warmed). A revision whose
// app is gone (deleted) is wanted by no one: it leaves the warm-ups, and whoever waits on it is told.
import type { Store } from '../../core/ports/store.js';
import type { App } from '../../domain/app.js';
import type { Revision, TrafficSplit } from '../../domain/revision.js';
import type { WarmWaiters } from './warm-waiters.js';

export interface DesiredState {
  apps: App[];
  appsById: Map<string, App>;
  traffic: Map<string, TrafficSplit[]>;
  revisions: Map<string, Revision>;
}

export async function loadDesiredState(input: {
  store: Store;
  /** Served since then: kept warm. */
  warmSince: Date;
  /** Revisions being warmed for the core (entries of deleted apps are removed). */
  warming: Map<string, number>;
  waiters: WarmWaiters;
}): Promise<DesiredState> {
  const { store, warming, waiters } = input;
  const [withTraffic, traffic, relevant] = await Promise.all([
    store.apps.listWithTraffic(),
    store.traffic.all(),
    store.revisions.listForReconcile(input.warmSince),
  ]);
  const revisions = new Map<string, Revision>(relevant.map((r) => [r.id, r]));
  const appsById = new Map(withTraffic.map((a) => [a.id, a]));
  for (const revisionId of [...warming.keys()]) {
    const revision = revisions.get(revisionId) ?? (await store.revisions.byId(revisionId));
    const app = revision ? (appsById.get(revision.appId) ?? (await store.apps.byId(revision.appId))) : null;
    if (!revision || !app) {
      warming.delete(revisionId);
      waiters.fail(revisionId, revision ? 'the app was deleted' : 'the revision no longer exists');
      revisions.delete(revisionId);
      continue;
    }
    revisions.set(revision.id, revision);
    appsById.set(app.id, app);
  }
  for (const [id, revision] of revisions) if (!appsById.has(revision.appId) && !warming.has(id)) revisions.delete(id);
  return { apps: [...appsById.values()], appsById, traffic, revisions };
}
