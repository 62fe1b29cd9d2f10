// Listing, counting and searching a workspace's apps are the API's busiest reads and would each
// scan the workspace's rows; this keeps an in-memory copy of each workspace's live apps (newest
// first) that answers them without a query, and one of every workspace's for the route table and
// telemetry, which walk all live apps often. Only the app repository writes apps, in this process:
// a write to one app marks it, and the next read reads that one row again and patches a new copy
// (with 500 apps, reloading the workspace after each write cost ~35 ms, the row ~0.5 ms).
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

/** A kept listing, the apps written since it was read (to read again), and that reading. */
interface Kept {
  listing: Listing;
  stale: Set<string>;
  refreshing: Promise<void> | null;
}

/** Derived values kept per listing at most; past that the oldest go (computed again when asked). */
const keptDerived = 500;

/** The key of the listing of every workspace's live apps (no workspace id looks like it). */
export const everyWorkspace = '*';

export interface AppCatalog {
  /** Every live app of the workspace (of all of them: `everyWorkspace`), newest first. */
  all(workspaceId: string): Promise<readonly App[]>;
  list(query: AppListQuery): Promise<{ apps: App[]; total: number }>;
  /**
   * `compute(apps)` for the workspace's live apps, kept under `key` until the next write to them.
   * `compute` must depend on nothing but `apps`.
   */
  derived<T>(workspaceId: string, key: string, compute: (apps: readonly App[]) => T): Promise<T>;
  /** After a write to apps of this workspace that names no one app: its copy is read again whole. */
  changed(workspaceId: string): void;
  /** After a write to this app (its workspace, when at hand: a new app is in no copy yet). */
  appChanged(appId: string, workspaceId?: string): void;
}

const listingOf = (apps: readonly App[]): Listing => ({ apps, names: nameIndex(apps.map((app) => app.name)), derived: new Map() });

/** The apps with `id` as `row` says now (null: gone), newest (highest id) first. */
function patched(apps: readonly App[], id: string, row: App | null): App[] {
  const next = apps.filter((app) => app.id !== id);
  if (row === null) return next;
  let at = 0;
  while (at < next.length && (next[at] as App).id > id) at += 1;
  next.splice(at, 0, Object.freeze(row));
  return next;
}

/** `load`: a workspace's live apps (every workspace's for `everyWorkspace`), newest first; `loadOne`: one live app (null: deleted or gone). */
export function appCatalog(load: (workspaceId: string) => Promise<App[]>, loadOne: (appId: string) => Promise<App | null>): AppCatalog {
  const kept = new Map<string, Kept>();
  /** The workspace of every app in a kept listing. */
  const workspaceOf = new Map<string, string>();
  const loading = new Map<string, { generation: number; promise: Promise<Listing> }>();
  /** Bumped by every write no kept listing takes in: a load that started before one must not be kept. */
  let generation = 0;

  const holds = (workspaceId: string, row: App | null): row is App => row !== null && (workspaceId === everyWorkspace || row.workspaceId === workspaceId);

  function drop(workspaceId: string): void {
    const dropped = kept.get(workspaceId);
    kept.delete(workspaceId);
    if (workspaceId !== everyWorkspace) for (const app of dropped?.listing.apps ?? []) workspaceOf.delete(app.id);
  }

  /** Reads the apps written since the listing was read and patches a new listing; again while more come. */
  async function refresh(workspaceId: string, entry: Kept): Promise<void> {
    while (kept.get(workspaceId) === entry && (entry.stale.size > 0 || entry.refreshing)) {
      if (!entry.refreshing) {
        const ids = [...entry.stale];
        entry.stale.clear();
        entry.refreshing = Promise.all(ids.map(loadOne))
          .then(
            (rows) => {
              let apps = entry.listing.apps;
              ids.forEach((id, i) => {
                const row = rows[i] ?? null;
                apps = patched(apps, id, holds(workspaceId, row) ? row : null);
                if (workspaceId === everyWorkspace) return;
                if (holds(workspaceId, row)) workspaceOf.set(id, workspaceId);
                else workspaceOf.delete(id);
              });
              entry.listing = listingOf(apps);
            },
            (error: unknown) => {
              drop(workspaceId); // read whole again next time, rather than answer without these writes
              throw error;
            },
          )
          .finally(() => (entry.refreshing = null));
      }
      await entry.refreshing;
    }
  }

  async function listing(workspaceId: string): Promise<Listing> {
    const entry = kept.get(workspaceId);
    if (entry) {
      await refresh(workspaceId, entry);
      if (kept.get(workspaceId) === entry) return entry.listing;
      return listing(workspaceId); // dropped meanwhile
    }
    const running = loading.get(workspaceId);
    if (running && running.generation === generation) return running.promise;
    const started = generation;
    const promise = load(workspaceId).then((apps) => {
      const loaded = listingOf(apps.map((app) => Object.freeze(app)));
      if (started === generation) {
        kept.set(workspaceId, { listing: loaded, stale: new Set(), refreshing: null });
        if (workspaceId !== everyWorkspace) for (const app of apps) workspaceOf.set(app.id, workspaceId);
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
    changed(workspaceId) {
      generation += 1;
      drop(workspaceId);
    },
    appChanged(appId, workspaceId) {
      const own = kept.get(workspaceOf.get(appId) ?? workspaceId ?? '');
      const every = kept.get(everyWorkspace);
      own?.stale.add(appId);
      every?.stale.add(appId);
      if (!own || !every) generation += 1; // a listing not kept may be loading, from before this write
    },
  };
}
