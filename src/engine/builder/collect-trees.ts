// Removes artifacts, revision trees and scratch spaces nothing keeps, once older than the grace
// period (a deploy may be about to use a younger one), and stage directories of builds long over.
import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../../core/ports/logger.js';
import { artifactImageRef } from '../../domain/build.js';
import type { builderPaths } from './builder-paths.js';

export interface TreeKeep {
  imageRefs: ReadonlySet<string>;
  revisionDirs: ReadonlySet<string>;
  /** Deployments whose scratch space is in use. */
  activeDeployments: ReadonlySet<string>;
}

async function sweep(dir: string, cutoffMs: number, kept: (full: string, name: string) => boolean, logger: Logger): Promise<void> {
  let names: string[] = [];
  try {
    names = await readdir(dir);
  } catch {
    return; // nothing stored yet
  }
  for (const name of names) {
    const full = path.join(dir, name);
    if (kept(full, name)) continue;
    try {
      if ((await stat(full)).mtimeMs > cutoffMs) continue;
      await rm(full, { recursive: true, force: true });
    } catch (error) {
      logger.warn({ err: error, path: full }, 'could not remove an unused build tree');
    }
  }
}

export async function collectTrees(paths: ReturnType<typeof builderPaths>, keep: TreeKeep, cutoffMs: number, logger: Logger): Promise<void> {
  await sweep(paths.artifacts, cutoffMs, (_full, name) => keep.imageRefs.has(artifactImageRef(name)), logger);
  await sweep(paths.revisions, cutoffMs, (full) => keep.revisionDirs.has(full), logger);
  await sweep(path.dirname(paths.work('x')), cutoffMs, (_full, name) => keep.activeDeployments.has(name), logger);
}
