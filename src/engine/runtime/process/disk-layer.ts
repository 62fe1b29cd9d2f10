// An instance's writable space, bounded: a small ext4 image of `diskMi` (sparse: it takes only
// what the app writes) holding the upper layer of an overlay on the app dir. The overlay is
// mounted in a mount namespace of the instance's own, so it vanishes (and its loop device with
// it) when the instance's last process exits, even after a kill -9 of Berth; the image file is
// removed on exit or by the next start's orphan sweep. What the app writes never reaches the
// revision's tree on the host, and a full app disk is the app's ENOSPC, not Berth's: the image
// is never larger than what Berth's disk has free, less a reserve.
import { chown, mkdir, rm, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { runCommand } from '../../spawn.js';
import { diskDir } from '../host/names.js';
import type { ProcessRuntimeTools } from './options.js';

export interface WritableLayer {
  image: string;
  /** Where the image is mounted inside the instance's mount namespace. */
  mountPoint: string;
}

/**
 * Run by sh in a fresh mount namespace: mount the image ($1) on $2, lay the overlay over the app
 * dir ($3), move into it, then exec the rest (after `--`).
 */
export const WRITABLE_LAYER_SCRIPT = [
  'img=$1; at=$2; dir=$3; shift 3; shift',
  'mount -o loop,nosuid,nodev "$img" "$at" || exit 125',
  'mount -t overlay overlay -o "lowerdir=$dir,upperdir=$at/upper,workdir=$at/work" "$dir" || exit 125',
  'cd "$dir" || exit 125',
  'exec "$@"',
].join('\n');

/** The hop that puts the writable layer in place, before the rest of the chain. */
export function writableLayerHop(tools: ProcessRuntimeTools, layer: WritableLayer, workDir: string): string[] {
  return [tools.unshare, '--mount', '--propagation', 'private', '--', tools.sh, '-c', WRITABLE_LAYER_SCRIPT, 'sh', layer.image, layer.mountPoint, workDir, '--'];
}

const MIB = 1024 * 1024;
/** Left free for Berth itself (its store, logs, builds) whatever the apps write. */
const RESERVE_MI = 64;
const MIN_DISK_MI = 16;

/** Makes the image (upper dir owned by the app's uid, like its tree) and the mount point. */
export async function prepareWritableLayer(
  tools: ProcessRuntimeTools,
  stateDir: string,
  input: { instanceId: string; diskMi: number; uid: number; gid: number },
): Promise<WritableLayer> {
  const dir = diskDir(stateDir, input.instanceId);
  // The image is sparse: it takes Berth's disk only as the app writes. Sized to what the disk can
  // spare (keeping a reserve for Berth), a full app disk never fills Berth's.
  const disk = await statfs(stateDir);
  const spareMi = Math.floor((disk.bavail * disk.bsize) / MIB) - RESERVE_MI;
  const sizeMi = Math.min(input.diskMi, spareMi);
  if (sizeMi < MIN_DISK_MI) {
    throw new Error(`Berth's disk has ${Math.max(0, spareMi + RESERVE_MI)} MiB free: too little for the instance's writable space (${input.diskMi} MiB asked)`);
  }
  await rm(dir, { recursive: true, force: true });
  const template = join(dir, 'template');
  await mkdir(join(template, 'upper'), { recursive: true, mode: 0o700 });
  await mkdir(join(template, 'work'), { mode: 0o700 });
  await chown(join(template, 'upper'), input.uid, input.gid);
  await mkdir(join(dir, 'mnt'), { mode: 0o700 });
  const image = join(dir, 'layer.ext4');
  const argv = [tools.mkfs, '-q', '-F', '-m', '0', '-O', '^has_journal', '-d', template, image, `${sizeMi}M`];
  const result = await runCommand(argv, { env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C' }, timeoutMs: 30_000 });
  if (result.exitCode !== 0) throw new Error(`could not make the instance's disk: ${result.stderr.trim() || `mkfs exit ${result.exitCode}`}`);
  await rm(template, { recursive: true, force: true });
  return { image, mountPoint: join(dir, 'mnt') };
}

export async function removeWritableLayer(stateDir: string, instanceId: string): Promise<void> {
  await rm(diskDir(stateDir, instanceId), { recursive: true, force: true });
}
