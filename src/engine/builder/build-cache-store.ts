// Keeps a framework's build cache (`.next/cache`, …) per app from one build to the next. Saved as
// hard links to the finished build's files (no bytes copied on the deploy's path), restored as a
// real copy, which the build step's hand-over gives to the app's uid: the framework rewrites its
// cache in place, and the stored copy must stay as it was. Builds that keep a cache run at one path
// per app (see builderPaths.stage), since webpack's cache is void at any other path.
import { createHash } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { BuildLog } from '../../core/ports/builds.js';
import type { Logger } from '../../core/ports/logger.js';
import type { BuildCacheSpec } from './build-caches.js';
import { copyTree, exists, linkCopy } from './tree-store.js';

export interface BuildCacheStoreOptions {
  /** builderPaths(…).buildCache */
  dirFor(appId: string): string;
  /** builderPaths(…).stage */
  stageFor(appId: string): string;
  logger: Logger;
}

export interface StagedTree {
  dir: string;
  /** Moves the tree back where it was fetched to (or removes it when that place is gone). */
  unstage(): Promise<void>;
}

/** A cache is reused only by the same Node.js and the same framework. */
const cacheKey = (spec: BuildCacheSpec) => createHash('sha256').update(`${process.version}\0${spec.tool}\0${spec.dirs.join('\0')}`).digest('hex').slice(0, 16);

export function createBuildCacheStore(options: BuildCacheStoreOptions) {
  /** Apps whose build runs in their stage directory now. */
  const staging = new Set<string>();

  return {
    /** Moves the fetched tree to the app's stage path for its install and build. */
    async stage(appId: string, dir: string): Promise<StagedTree> {
      const staged = options.stageFor(appId);
      staging.add(appId);
      try {
        await rm(staged, { recursive: true, force: true }); // a crash's leftover
        await mkdir(path.dirname(staged), { recursive: true, mode: 0o700 });
        await rename(dir, staged);
      } catch (error) {
        staging.delete(appId);
        throw error;
      }
      return {
        dir: staged,
        async unstage() {
          try {
            await rename(staged, dir);
          } catch (error) {
            // The deployment's scratch space is gone (cancelled meanwhile): nothing needs the tree.
            options.logger.warn({ err: error, appId }, 'could not move a build tree back from its stage directory');
            await rm(staged, { recursive: true, force: true });
          } finally {
            staging.delete(appId);
          }
        },
      };
    },

    /** Copies the app's last build cache into `dir` (where the tree lacks it); says so in the log. */
    async restore(appId: string, spec: BuildCacheSpec, dir: string, log: BuildLog): Promise<void> {
      const stored = path.join(options.dirFor(appId), cacheKey(spec));
      const restored: string[] = [];
      for (const sub of spec.dirs) {
        const from = path.join(stored, sub);
        const to = path.join(dir, sub);
        if (!(await exists(from)) || (await exists(to))) continue;
        try {
          await copyTree(from, to);
          restored.push(sub);
        } catch (error) {
          options.logger.warn({ err: error, appId }, 'could not restore a build cache');
          await rm(to, { recursive: true, force: true });
        }
      }
      if (restored.length > 0) log.line(`[cache] ${spec.tool} build cache restored from the app's last build (${restored.join(', ')})`);
    },

    /** Keeps the build cache of the build that just succeeded in `dir`, replacing the app's older one. */
    async save(appId: string, spec: BuildCacheSpec, dir: string, log: BuildLog): Promise<void> {
      const appDir = options.dirFor(appId);
      const target = path.join(appDir, cacheKey(spec));
      const temp = `${target}.tmp-${process.pid}-${Date.now()}`;
      try {
        const present: string[] = [];
        for (const sub of spec.dirs) if (await exists(path.join(dir, sub))) present.push(sub);
        if (present.length === 0) return;
        await mkdir(temp, { recursive: true, mode: 0o700 });
        for (const sub of present) await linkCopy(path.join(dir, sub), path.join(temp, sub));
        for (const old of await readdir(appDir)) {
          if (path.join(appDir, old) !== temp) await rm(path.join(appDir, old), { recursive: true, force: true });
        }
        await rename(temp, target);
        log.line(`[cache] kept the ${spec.tool} build cache for the next build (${present.join(', ')})`);
      } catch (error) {
        options.logger.warn({ err: error, appId }, 'could not keep a build cache');
        await rm(temp, { recursive: true, force: true });
      }
    },

    /** Removes stage directories no build uses (a crash's leftovers) once older than `cutoffMs`. */
    async sweepStages(cutoffMs: number): Promise<void> {
      const root = path.dirname(options.stageFor('x'));
      let names: string[] = [];
      try {
        names = await readdir(root);
      } catch {
        return; // no build has kept a cache yet
      }
      for (const name of names) {
        if (staging.has(name)) continue;
        const full = path.join(root, name);
        try {
          if ((await stat(full)).mtimeMs <= cutoffMs) await rm(full, { recursive: true, force: true });
        } catch (error) {
          options.logger.warn({ err: error, path: full }, 'could not remove a stage directory');
        }
      }
    },
  };
}
