// Persistent volumes on this machine, kept across deploys, rollbacks and restarts and removed
// only when their owner goes (an app purged, a database deleted). Where Berth may mount, a volume
// is a sparse ext4 image of its size, mounted once on the host and bound into every instance that
// uses it (one filesystem, however many instances), so a full volume is its user's ENOSPC and
// never fills Berth's disk. Elsewhere it is a plain directory, unbounded (said once in the log).
// Users see the directory, never where it lives.
import { existsSync } from 'node:fs';
import { chown, mkdir, readFile, rm, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../core/ports/logger.js';
import { runCommand } from '../spawn.js';
import { checkVolumeId } from './volume-names.js';

export interface VolumeOwner {
  uid: number;
  gid: number;
}

export interface VolumeStore {
  /** Whether sizes are enforced. */
  readonly bounded: boolean;
  /** Creates the volume when missing, mounts it when not mounted; returns the directory its user writes in. */
  ensure(volumeId: string, sizeMi: number, owner?: VolumeOwner): Promise<string>;
  /** Every byte of the volume, gone. */
  remove(volumeId: string): Promise<void>;
  /** Whether the volume is there (made by `ensure`, not yet removed). */
  exists(volumeId: string): boolean;
  /** Unmounts what this store mounted (data stays; the next ensure mounts it again). */
  close(): Promise<void>;
}

export interface VolumeStoreOptions {
  rootDir: string;
  logger: Logger;
  /** Try bounded volumes (root, mkfs.ext4 and loop devices needed); false: plain directories. */
  bounded: boolean;
  tools?: { mkfs: string; mount: string; umount: string };
}

const MIB = 1024 * 1024;
const RESERVE_MI = 64;
const MIN_SIZE_MI = 8;
const ENV = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C' };

/** Mount points of this mount namespace, unescaped (`\040` is a space). */
async function mountPoints(): Promise<Set<string>> {
  const text = await readFile('/proc/self/mountinfo', 'utf8');
  return new Set(text.split('\n').map((line) => (line.split(' ')[4] ?? '').replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)))));
}

export function createVolumeStore(options: VolumeStoreOptions): VolumeStore {
  const tools = options.tools ?? { mkfs: '/usr/sbin/mkfs.ext4', mount: '/usr/bin/mount', umount: '/usr/bin/umount' };
  let bounded = options.bounded && process.getuid?.() === 0 && existsSync(tools.mkfs);
  const mounted = new Set<string>();
  const pending = new Map<string, Promise<string>>();
  const dirOf = (volumeId: string) => join(options.rootDir, checkVolumeId(volumeId));

  async function makeImage(image: string, sizeMi: number): Promise<void> {
    const disk = await statfs(options.rootDir);
    const spareMi = Math.floor((disk.bavail * disk.bsize) / MIB) - RESERVE_MI;
    const size = Math.max(MIN_SIZE_MI, Math.min(sizeMi, spareMi));
    const result = await runCommand([tools.mkfs, '-q', '-F', '-m', '0', image, `${size}M`], { env: ENV, timeoutMs: 60_000 });
    if (result.exitCode !== 0) throw new Error(`could not make the volume: ${result.stderr.trim() || `mkfs exit ${result.exitCode}`}`);
  }

  async function mountImage(image: string, data: string): Promise<void> {
    if ((await mountPoints()).has(data)) return;
    const result = await runCommand([tools.mount, '-o', 'loop,nosuid,nodev', image, data], { env: ENV, timeoutMs: 30_000 });
    if (result.exitCode !== 0) throw new Error(`could not mount the volume: ${result.stderr.trim() || `mount exit ${result.exitCode}`}`);
    // ext4 makes lost+found at its root; the user's directory should hold only what they write.
    await rm(join(data, 'lost+found'), { recursive: true, force: true });
  }

  async function ensure(volumeId: string, sizeMi: number, owner?: VolumeOwner): Promise<string> {
    const dir = dirOf(volumeId);
    const data = join(dir, 'data');
    await mkdir(data, { recursive: true, mode: 0o755 });
    if (bounded) {
      const image = join(dir, 'volume.ext4');
      try {
        if (!existsSync(image)) await makeImage(image, sizeMi);
        await mountImage(image, data);
        mounted.add(data);
      } catch (error) {
        if (existsSync(image)) throw error;
        bounded = false;
        options.logger.warn({ reason: (error as Error).message }, 'volumes are plain directories: their sizes are not enforced');
      }
    }
    if (owner) await chown(data, owner.uid, owner.gid);
    return data;
  }

  async function unmount(data: string): Promise<void> {
    if (!(await mountPoints()).has(data)) return;
    const result = await runCommand([tools.umount, data], { env: ENV, timeoutMs: 30_000 });
    if (result.exitCode !== 0) await runCommand([tools.umount, '-l', data], { env: ENV, timeoutMs: 30_000 });
    mounted.delete(data);
  }

  return {
    get bounded() {
      return bounded;
    },
    ensure(volumeId, sizeMi, owner) {
      // One ensure per volume at a time: two instances starting together mount it once.
      const previous = pending.get(volumeId) ?? Promise.resolve('');
      const next = previous.catch(() => '').then(() => ensure(volumeId, sizeMi, owner));
      pending.set(volumeId, next);
      return next.finally(() => {
        if (pending.get(volumeId) === next) pending.delete(volumeId);
      });
    },
    exists: (volumeId) => existsSync(dirOf(volumeId)),
    async remove(volumeId) {
      const dir = dirOf(volumeId);
      await unmount(join(dir, 'data'));
      await rm(dir, { recursive: true, force: true });
    },
    async close() {
      for (const data of [...mounted]) await unmount(data);
    },
  };
}
