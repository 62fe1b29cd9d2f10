// Removes artifacts, revision trees, scratch spaces and uploaded tarballs nothing keeps and no
// deployment in flight uses, once older than the grace period. Each is asked about and removed under its lock (see
// keyed-lock.ts), so the answer holds until it is gone.
import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../../core/ports/logger.js';
import type { PrunedOutput } from '../../core/ports/builds.js';
import { artifactHex, artifactImageRef } from '../../domain/build.js';
import { uploadFile, uploadSuffix } from '../sources/upload-files.js';
import type { builderPaths } from './builder-paths.js';
import type { KeyedLock } from '../keyed-lock.js';

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

/** Removes one entry unless it is kept or was changed after the cutoff, asked and done under its lock. */
async function removeUnlessKept(full: string, lockKey: string, kept: () => boolean, ctx: SweepContext): Promise<void> {
  await ctx.locks.run(lockKey, async () => {
    if (kept()) return;
    try {
      if ((await stat(full)).mtimeMs > ctx.cutoffMs) return;
      await rm(full, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // removed meanwhile (an upload discarded at purge)
      ctx.logger.warn({ err: error, path: full }, 'could not remove an unused build tree');
    }
  });
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
    await removeUnlessKept(full, key(full, name), () => kept(full, name), ctx);
  }
}

/** The ids of the uploads whose tarballs are on disk (a file not named like an upload is nobody's). */
export async function storedUploadIds(uploadsDir: string): Promise<string[]> {
  try {
    return (await readdir(uploadsDir)).filter((name) => name.endsWith(uploadSuffix)).map((name) => name.slice(0, -uploadSuffix.length));
  } catch {
    return []; // nothing uploaded yet
  }
}

/**
 * Removes just the artifacts, revision trees and tarballs named, keyed and asked about as the sweep
 * below does. A tree outside the builder's revisions directory is not Berth's to remove.
 */
export async function removeNamed(paths: ReturnType<typeof builderPaths>, items: PrunedOutput, keep: TreeKeep, ctx: SweepContext): Promise<void> {
  for (const ref of items.imageRefs) {
    const hex = artifactHex(ref);
    if (hex) await removeUnlessKept(path.join(paths.artifacts, hex), hex, () => keep.activeArtifact(hex) || keep.imageRef(ref), ctx);
  }
  for (const dir of items.revisionDirs) {
    if (path.dirname(dir) !== paths.revisions) continue;
    await removeUnlessKept(dir, dir, () => keep.activeDeployment(path.basename(dir)) || keep.revisionDir(dir), ctx);
  }
  for (const uploadId of items.uploads) {
    const file = uploadFile(paths.uploads, uploadId);
    await removeUnlessKept(file, file, () => keep.upload(uploadId), ctx);
  }
  // Walked from the disk (a few entries), not from the jobs (every one the app ever ran).
  const jobs = new Set(items.jobs ?? []);
  if (jobs.size === 0) return;
  const others = (name: string) => !jobs.has(name) || keep.activeDeployment(name);
  await sweep(paths.revisions, ctx, (full) => full, (full, name) => others(name) || keep.revisionDir(full));
  await sweep(path.dirname(paths.work('x')), ctx, (full) => full, (_full, name) => others(name));
}

export async function collectTrees(paths: ReturnType<typeof builderPaths>, keep: TreeKeep, ctx: SweepContext): Promise<void> {
  await sweep(paths.artifacts, ctx, (_full, name) => name, (_full, name) => keep.activeArtifact(name) || keep.imageRef(artifactImageRef(name)));
  await sweep(paths.revisions, ctx, (full) => full, (full, name) => keep.activeDeployment(name) || keep.revisionDir(full));
  await sweep(path.dirname(paths.work('x')), ctx, (full) => full, (_full, name) => keep.activeDeployment(name));
  // Keyed by the file's path, as `hasUpload` asks; a file not named like an upload is nobody's.
  await sweep(paths.uploads, ctx, (full) => full, (_full, name) => name.endsWith(uploadSuffix) && keep.upload(name.slice(0, -uploadSuffix.length)));
}
