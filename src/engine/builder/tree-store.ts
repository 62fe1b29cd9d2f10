// Content-addressed trees on disk: an artifact (or a dependency cache) is frozen (root-owned,
// world-readable, not writable by apps), hashed over paths, modes, links and contents, and kept
// under its hash. Revisions get hard-linked copies, so many revisions share one artifact's bytes
// while each has its own directories to write in.
import { lstat, mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { runCommand } from '../spawn.js';
import { forgetListing, freezeAndDigestTree, linkCopyOf, type TreeDigest } from './tree-digest.js';

export async function exists(p: string): Promise<boolean> {
  try {
    await lstat(p);
    return true;
  } catch {
    return false;
  }
}

/** `cp -al`: a new directory tree whose files are hard links to the source's. */
export async function linkCopy(from: string, to: string): Promise<void> {
  await mkdir(path.dirname(to), { recursive: true, mode: 0o700 });
  const result = await runCommand(['/bin/cp', '-al', '--', from, to], { env: { PATH: '/usr/bin:/bin', LANG: 'C' }, timeoutMs: 600_000 });
  if (result.exitCode !== 0) throw new Error(`copying ${from} failed: ${result.stderr.trim()}`);
}

/** `cp -a`: a new directory tree of copies, which the next step's hand-over gives to the app's uid. */
export async function copyTree(from: string, to: string): Promise<void> {
  await mkdir(path.dirname(to), { recursive: true, mode: 0o700 });
  const result = await runCommand(['/bin/cp', '-a', '--reflink=auto', '--', from, to], { env: { PATH: '/usr/bin:/bin', LANG: 'C' }, timeoutMs: 600_000 });
  if (result.exitCode !== 0) throw new Error(`copying ${from} failed: ${result.stderr.trim()}`);
}

/**
 * Freezes `dir` and moves it into the store under its hash. When that content is stored already,
 * `dir` is left where it is, for the caller to remove with its scratch space (off the deploy's
 * path). With `copyTo`, also leaves a tree there whose files are hard links to the stored ones
 * (a revision's), from the hashing walk's listing. `onDigest` learns the hash before anything
 * links from or moves into the store, and must claim it against the collector (under the hash's
 * lock, which the collector holds while it removes a tree): the link then never meets a stored
 * copy half-removed, and either finds it whole or finds it gone and stores this one.
 */
export async function storeTree(storeDir: string, dir: string, copyTo?: string, onDigest?: (hex: string) => Promise<void>): Promise<TreeDigest> {
  await mkdir(storeDir, { recursive: true, mode: 0o711 });
  const digest = await freezeAndDigestTree(dir, { keepListing: copyTo !== undefined });
  try {
    await onDigest?.(digest.hex); // before it is in the store: the collector must not take it for unused
  } catch (error) {
    if (copyTo) await forgetListing(dir);
    throw error;
  }
  const target = path.join(storeDir, digest.hex);
  const stored = await exists(target);
  if (copyTo) await linkCopyFromListing(dir, stored ? target : dir, copyTo);
  if (stored) return digest;
  try {
    await rename(dir, target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
    // Another build stored the same content meanwhile: the copy must share the stored files
    // (once `dir` is gone, files of its own would be handed to the app's uid).
    await relinkCopy(target, copyTo);
  }
  return digest;
}

async function linkCopyFromListing(root: string, from: string, to: string): Promise<void> {
  await rm(to, { recursive: true, force: true });
  await mkdir(path.dirname(to), { recursive: true, mode: 0o700 });
  try {
    await linkCopyOf(root, from, to);
  } catch (error) {
    await rm(to, { recursive: true, force: true });
    throw error;
  }
}

async function relinkCopy(target: string, copyTo: string | undefined): Promise<void> {
  if (!copyTo) return;
  await rm(copyTo, { recursive: true, force: true });
  await linkCopy(target, copyTo);
}
