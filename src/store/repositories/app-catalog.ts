// Listing, counting and searching a workspace's apps are the API's busiest reads and would each
// scan the workspace's rows; this keeps an in-memory copy of each workspace's live apps (newest
// first) that answers them without a query. Only the app repository writes apps, in this process:
// each write drops the copy of the workspace it touched, which is loaded again on the next read.
import type { AppListQuery } from '../../core/ports/store.js';
import type { App } from '../../domain/app.js';
import { nameIndex } from './name-index.js';
import type { NameIndex } from './name-index.js';

interface Listing {
  apps: readonly App[];
  names: NameIndex;
  /** What readers computed from `apps` (sorted copies, counts), dropped with the listing. */
  derived: Map<string, unknown>;
}

/** Derived values kept per listing at most; past that the oldest go (computed again when asked). */
const keptDerived = 500;

export interface AppCatalog {
  /** Every live app of the workspace, newest first. */
  all(workspaceId: string): Promise<readonly App[]>;
  list(query: AppListQuery): Promise<{ apps: App[]; total: number }>;
  /**
   * `compute(apps)` for the workspace's live apps, kept under `key` until the next write to them.
   * `compute` must depend on nothing but `apps`.
   */
  derived<T>(workspaceId: string, key: string, compute: (apps: readonly App[]) => T): Promise<T>;
  /** After a write to an app of this workspace. */
  changed(workspaceId: string): void;
  /** After a write to this app, when its workspace is not at hand. */
  appChanged(appId: string): void;
}

export function appCatalog(load: (workspaceId: string) => Promise<App[]>): AppCatalog {
  const listings = new Map<string, Listing>();
  /** The workspace of every app in a kept listing. */
  const workspaceOf = new Map<string, string>();
  const loading = new Map<string, { generation: number; promise: Promise<Listing> }>();
  /** Bumped by every write: a load that started before one must not be kept. */
  let generation = 0;

  async function listing(workspaceId: string): Promise<Listing> {
    const cached = listings.get(workspaceId);
    if (cached) return cached;
    const running = loading.get(workspaceId);
    if (running && running.generation === generation) return running.promise;
    const started = generation;
    const promise = load(workspaceId).then((apps) => {
      const loaded: Listing = {
        apps: apps.map((app) => Object.freeze(app)),
        names: nameIndex(apps.map((app) => app.name)),
        derived: new Map(),
      };
      if (started === generation) {
        listings.set(workspaceId, loaded);
        for (const app of apps) workspaceOf.set(app.id, workspaceId);
      }
      return loaded;
    });
    loading.set(workspaceId, { generation: started, promise });
    try {
      return await promise;
    } finally {
      if (loading.get(workspaceId)?.promise === promise) loading.delete(workspaceId);
    }
  }

  function changed(workspaceId: string): void {
    generation += 1;
    const dropped = listings.get(workspaceId);
    listings.delete(workspaceId);
    for (const app of dropped?.apps ?? []) workspaceOf.delete(app.id);
  }

  return {
    all: async (workspaceId) => (await listing(workspaceId)).apps,
    async list(query) {
      const { apps, names } = await listing(query.workspaceId);
      const offset = (query.page - 1) * query.limit;
      if (!query.type && !query.status && !query.search) {
        return { apps: apps.slice(offset, offset + query.limit), total: apps.length };
      }
      const candidates = query.search ? names.matching(query.search).map((i) => apps[i] as App) : apps;
      const matches = candidates.filter(
        (app) => (!query.type || app.type === query.type) && (!query.status || app.status === query.status),
      );
      return { apps: matches.slice(offset, offset + query.limit), total: matches.length };
    },
    async derived<T>(workspaceId: string, key: string, compute: (apps: readonly App[]) => T): Promise<T> {
      const { apps, derived } = await listing(workspaceId);
      if (derived.has(key)) return derived.get(key) as T;
      const value = compute(apps);
      if (derived.size >= keptDerived) derived.delete(derived.keys().next().value as string);
      derived.set(key, value);
      return value;
    },
    changed,
    appChanged(appId) {
      const workspaceId = workspaceOf.get(appId);
      if (workspaceId !== undefined) changed(workspaceId);
      else generation += 1; // in no kept listing; a load in flight may still hold it
    },
  };
}
