// Content-addressed trees on disk: an artifact (or a dependency cache) is frozen (root-owned,
// world-readable, not writable by apps), hashed over paths, modes, links and contents, and kept
// under its hash. Revisions get hard-linked copies, so many revisions share one artifact's bytes
// while each has its own directories to write in.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Stats } from 'node:fs';
import { lstat, mkdir, readdir, readlink, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { runCommand } from '../spawn.js';

/** Digests by inode: frozen files (artifacts, caches) never change, and hard links share inodes. */
const digests = new Map<string, string>();

async function fileDigest(file: string, info: Stats): Promise<string> {
  const key = `${info.dev}:${info.ino}:${info.size}:${info.mtimeMs}`;
  const known = digests.get(key);
  if (known) return known;
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  const digest = hash.digest('hex');
  if (digests.size > 500_000) digests.clear();
  digests.set(key, digest);
  return digest;
}

/** Runs `fn` over `items` with at most `limit` at a time, results in input order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

interface Walked {
  records: string[];
  files: number;
  bytes: number;
}

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

async function walk(dir: string, rel: string): Promise<Walked> {
  const names = (await readdir(dir)).sort();
  const parts = await mapLimit(names, 16, async (name): Promise<Walked> => {
    const full = path.join(dir, name);
    const relative = rel ? `${rel}/${name}` : name;
    const info = await lstat(full);
    if (info.isSymbolicLink()) return { records: [`l ${relative}\0${await readlink(full)}\0`], files: 0, bytes: 0 };
    if (info.isDirectory()) {
      const inner = await walk(full, relative);
      return { records: [`d ${relative}\0`, ...inner.records], files: inner.files, bytes: inner.bytes };
    }
    if (!info.isFile()) {
      await rm(full, { force: true }); // sockets or fifos a build left behind: not part of an artifact
      return { records: [], files: 0, bytes: 0 };
    }
    // Any x bit: chmod u=rwX,go=rX (running meanwhile) keeps exactly that invariant.
    const executable = (info.mode & 0o111) !== 0;
    return { records: [`f ${relative}\0${executable ? 'x' : '-'}${await fileDigest(full, info)}\0`], files: 1, bytes: info.size };
  });
  return { records: parts.flatMap((p) => p.records), files: parts.reduce((n, p) => n + p.files, 0), bytes: parts.reduce((n, p) => n + p.bytes, 0) };
}

/** Makes every entry root-owned and read-only for apps, and returns the tree's sha256. */
export async function freezeAndHash(root: string): Promise<{ hex: string; files: number; bytes: number }> {
  const [walked] = await Promise.all([walk(root, ''), freezeOwners(root)]);
  const tree = createHash('sha256');
  for (const record of walked.records) tree.update(record);
  return { hex: tree.digest('hex'), files: walked.files, bytes: walked.bytes };
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
export async function storeTree(storeDir: string, dir: string): Promise<{ hex: string; files: number; bytes: number }> {
  const digest = await freezeAndHash(dir);
  const target = path.join(storeDir, digest.hex);
  await mkdir(storeDir, { recursive: true, mode: 0o711 });
  if (await exists(target)) await rm(dir, { recursive: true, force: true });
  else await rename(dir, target);
  return digest;
}
