// Content-addressed trees on disk: an artifact (or a dependency cache) is frozen (root-owned,
// world-readable, not writable by apps), hashed over paths, modes, links and contents, and kept
// under its hash. Revisions get hard-linked copies, so many revisions share one artifact's bytes
// while each has its own directories to write in.
import { lstat, mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { runCommand } from '../spawn.js';
import { digestTree, type TreeDigest } from './tree-digest.js';

/** Root-owned, read-only for everyone else: two C walks (symlinks themselves, never their targets). */
async function freezeOwners(root: string): Promise<void> {
  const env = { PATH: '/usr/bin:/bin', LANG: 'C' };
  for (const argv of [
    ['/bin/chown', '-hRP', '0:0', '--', root],
    ['/bin/chmod', '-R', 'u=rwX,go=rX', '--', root],
  ]) {
    const result = await runCommand(argv, { env, timeoutMs: 600_000 });
    if (result.exitCode !== 0) throw new Error(`${argv[0]} failed: ${result.stderr.trim()}`);
  }
}

/** Makes every entry root-owned and read-only for apps, and returns the tree's sha256. */
export async function freezeAndHash(root: string): Promise<TreeDigest> {
  const [digest] = await Promise.all([digestTree(root), freezeOwners(root)]);
  return digest;
}

/** Same freezing without hashing (dependency caches). */
export async function freeze(root: string): Promise<void> {
  await freezeOwners(root);
}

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

/** Moves `dir` into the store under its hash (or drops it when that content is already there). */
export async function storeTree(storeDir: string, dir: string): Promise<TreeDigest> {
  const digest = await freezeAndHash(dir);
  const target = path.join(storeDir, digest.hex);
  await mkdir(storeDir, { recursive: true, mode: 0o711 });
  if (await exists(target)) await rm(dir, { recursive: true, force: true });
  else await rename(dir, target);
  return digest;
}
