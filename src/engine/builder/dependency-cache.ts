// Each app's installed dependencies, kept under a key of its lockfiles (and the runtime and
// install command), so an unchanged lockfile skips the install. Saves hard-link the tree (from the
// frozen artifact once the deployment is over, off its path) and replace the app's older cache.
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { BuildLog } from '../../core/ports/builds.js';
import type { Logger } from '../../core/ports/logger.js';
import type { BuildPlan } from './detect-plan.js';
import { freezeTree } from './tree-digest.js';
import { exists, linkCopy } from './tree-store.js';

export interface CacheEntry {
  key: string;
  dirs: string[];
}

export interface DependencyCache {
  /** The plan's cache entry for the tree in `dir`; null when the plan installs nothing or caches nothing. */
  entry(plan: BuildPlan, dir: string): Promise<CacheEntry | null>;
  /** Puts the cached dependencies into `dir`; false when none are kept under the entry's key. */
  restore(input: { appId: string; entry: CacheEntry; dir: string }): Promise<boolean>;
  /** Saves `from` (the frozen artifact: in the background; the build tree: now) under the entry. */
  keep(input: { appId: string; entry: CacheEntry; from: string; frozen: boolean; log: BuildLog }): Promise<void>;
  /** Resolves once the app's running save is over (its next install waits for it). */
  settled(appId: string): Promise<void>;
  forget(appId: string): Promise<void>;
}

export function createDependencyCache(options: { dir: string; logger: Logger }): DependencyCache {
  /** Saves still running per app. */
  const saving = new Map<string, Promise<void>>();

  /** Hard-links the entry's dirs of `from` into the app's cache, replacing older caches. */
  async function save(input: { appId: string; entry: CacheEntry; from: string; frozen: boolean }) {
    const appCache = path.join(options.dir, input.appId);
    const target = path.join(appCache, input.entry.key);
    if (await exists(target)) return;
    const temp = `${target}.tmp-${process.pid}-${Date.now()}`;
    await mkdir(temp, { recursive: true, mode: 0o700 });
    for (const sub of input.entry.dirs) {
      if (await exists(path.join(input.from, sub))) await linkCopy(path.join(input.from, sub), path.join(temp, sub));
    }
    if (!input.frozen) await freezeTree(temp);
    for (const old of await readdir(appCache)) {
      if (path.join(appCache, old) !== temp) await rm(path.join(appCache, old), { recursive: true, force: true });
    }
    await rename(temp, target);
  }

  return {
    async entry(plan, dir) {
      if (!plan.cache || !plan.install) return null;
      const hash = createHash('sha256').update(`${process.version}\0${plan.buildpack}\0${plan.install.join(' ')}\0`);
      for (const file of plan.cache.keyFiles) {
        try {
          hash.update(`${file}\0`).update(await readFile(path.join(dir, file))).update('\0');
        } catch {
          hash.update(`${file}\0-\0`);
        }
      }
      return { key: hash.digest('hex'), dirs: plan.cache.dirs };
    },

    async restore(input) {
      const cached = path.join(options.dir, input.appId, input.entry.key);
      if (!(await exists(cached))) return false;
      for (const sub of input.entry.dirs) {
        if (!(await exists(path.join(cached, sub)))) continue;
        await rm(path.join(input.dir, sub), { recursive: true, force: true });
        await linkCopy(path.join(cached, sub), path.join(input.dir, sub));
      }
      return true;
    },

    async keep(input) {
      const saved = save(input)
        // A background save may end after the deployment's log closed: only an awaited one reports.
        .then(() => (input.frozen ? undefined : input.log.line(`[cache] saved dependencies for the next build (sha256 ${input.entry.key.slice(0, 12)})`)))
        .catch((error: unknown) => options.logger.warn({ err: error, appId: input.appId }, 'could not save the dependency cache'))
        .finally(() => saving.delete(input.appId));
      saving.set(input.appId, saved);
      if (!input.frozen) await saved;
    },

    async settled(appId) {
      await saving.get(appId);
    },

    async forget(appId) {
      // A save still linking files would put the cache back after it is removed.
      await saving.get(appId);
      await rm(path.join(options.dir, appId), { recursive: true, force: true });
    },
  };
}
