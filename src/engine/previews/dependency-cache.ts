// Preview sessions' dependency cache: like builds', an app's installed node_modules kept under the
// hash of its manifest and lockfile, frozen, and hard-linked into the next session's tree, so a
// session whose dependencies did not change skips its install. One key per app is kept.
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { freezeTree } from '../builder/tree-digest.js';
import { exists, linkCopy } from '../builder/tree-store.js';

const cachedDirs = ['node_modules'];

export async function cacheKey(salt: string, dir: string, keyFiles: readonly string[]): Promise<string> {
  const hash = createHash('sha256').update(salt);
  for (const file of keyFiles) {
    const content = await readFile(path.join(dir, file)).catch(() => null);
    hash.update(`${file}\0`).update(content ?? '-').update('\0');
  }
  return hash.digest('hex');
}

/** Links the cached dependencies into `dir`; false when there are none for this key. */
export async function restoreCache(cacheRoot: string, appId: string, key: string, dir: string): Promise<boolean> {
  const cached = path.join(cacheRoot, appId, key);
  if (!(await exists(cached))) return false;
  for (const sub of cachedDirs) {
    if (!(await exists(path.join(cached, sub)))) continue;
    await rm(path.join(dir, sub), { recursive: true, force: true });
    await linkCopy(path.join(cached, sub), path.join(dir, sub));
  }
  return true;
}

/** Keeps `dir`'s dependencies under `key`, replacing the app's older cache. */
export async function saveCache(cacheRoot: string, appId: string, key: string, dir: string): Promise<void> {
  const appCache = path.join(cacheRoot, appId);
  const target = path.join(appCache, key);
  if (await exists(target)) return;
  const temp = `${target}.tmp-${process.pid}-${Date.now()}`;
  await mkdir(temp, { recursive: true, mode: 0o700 });
  try {
    for (const sub of cachedDirs) {
      if (await exists(path.join(dir, sub))) await linkCopy(path.join(dir, sub), path.join(temp, sub));
    }
    await freezeTree(temp);
    for (const old of await readdir(appCache)) {
      if (path.join(appCache, old) !== temp) await rm(path.join(appCache, old), { recursive: true, force: true });
    }
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
}
