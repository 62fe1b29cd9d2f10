// Removes artifacts, revision trees, scratch spaces and uploaded tarballs nothing keeps and no
// deployment in flight uses, once older than the grace period. Each is asked about and removed under its lock (see
// keyed-lock.ts), so the answer holds until it is gone.
import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../../core/ports/logger.js';
import { artifactImageRef } from '../../domain/build.js';
import { uploadSuffix } from '../sources/upload-files.js';
import type { builderPaths } from './builder-paths.js';
import type { KeyedLock } from './keyed-lock.js';

export interface TreeKeep {
  imageRef(ref: string): boolean;
  revisionDir(dir: string): boolean;
  /** Deployments in flight here: their scratch space and revision tree are in use. */
  activeDeployment(deploymentId: string): boolean;
  /** Artifacts (by hash) that deployments in flight here built or check out. */
  activeArtifact(hex: string): boolean;
  /** Uploads (by id) whose tarballs stay. */
  upload(uploadId: string): boolean;
}

export interface SweepContext {
  locks: KeyedLock;
  /** Nothing changed after this (ms since the epoch) is removed. */
  cutoffMs: number;
  logger: Logger;
}

async function sweep(dir: string, ctx: SweepContext, key: (full: string, name: string) => string, kept: (full: string, name: string) => boolean): Promise<void> {
  let names: string[] = [];
  try {
    names = await readdir(dir);
  } catch {
    return; // nothing stored yet
  }
  for (const name of names) {
    const full = path.join(dir, name);
    await ctx.locks.run(key(full, name), async () => {
      if (kept(full, name)) return;
      try {
        if ((await stat(full)).mtimeMs > ctx.cutoffMs) return;
        await rm(full, { recursive: true, force: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // removed meanwhile (an upload discarded at purge)
        ctx.logger.warn({ err: error, path: full }, 'could not remove an unused build tree');
      }
    });
  }
}

export async function collectTrees(paths: ReturnType<typeof builderPaths>, keep: TreeKeep, ctx: SweepContext): Promise<void> {
  await sweep(paths.artifacts, ctx, (_full, name) => name, (_full, name) => keep.activeArtifact(name) || keep.imageRef(artifactImageRef(name)));
  await sweep(paths.revisions, ctx, (full) => full, (full, name) => keep.activeDeployment(name) || keep.revisionDir(full));
  await sweep(path.dirname(paths.work('x')), ctx, (full) => full, (_full, name) => keep.activeDeployment(name));
  // Keyed by the file's path, as `hasUpload` asks; a file not named like an upload is nobody's.
  await sweep(paths.uploads, ctx, (full) => full, (_full, name) => name.endsWith(uploadSuffix) && keep.upload(name.slice(0, -uploadSuffix.length)));
}
