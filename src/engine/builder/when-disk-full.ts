// A build phase that fails on a full disk (or leaves the disk full: tools say so in their own
// words, if at all) fails saying that, so the user frees space instead of debugging their build.
import { statfs } from 'node:fs/promises';
import { DomainError, isStorageFull } from '../../domain/errors.js';

/** Below this much space left for unprivileged writes (builds run as app uids), a failure is the disk's. */
const fullBelowBytes = 1024 * 1024;

async function freeBytes(dir: string): Promise<number | null> {
  try {
    const disk = await statfs(dir);
    return disk.bavail * disk.bsize;
  } catch {
    return null; // cannot tell: the failure stands as it is
  }
}

export async function sayingWhenDiskFull<T>(dir: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof DomainError && error.code === 'conflict') throw error; // cancelled
    const free = await freeBytes(dir);
    if (isStorageFull(error) || (free !== null && free < fullBelowBytes)) {
      const left = free === null ? '' : ` (${Math.round(free / 1024)} KiB left)`;
      throw new DomainError('unavailable', `Berth's disk is full${left}: free some space and deploy again`);
    }
    throw error;
  }
}
