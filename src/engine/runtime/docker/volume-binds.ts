// Persistent volumes on the docker driver: the same volumes the process driver binds into its
// sandbox (a sparse ext4 image mounted once on the host, so a full volume is the app's ENOSPC),
// bound read-write into the container at their mount paths. Binds name host paths, so the
// engine must run on this machine, as it must for tree artifacts.
import { chown } from 'node:fs/promises';
import { join } from 'node:path';
import type { VolumeMount } from '../../../core/ports/runtime.js';
import { checkSubPath } from '../../volumes/volume-names.js';
import type { VolumeOwner, VolumeStore } from '../../volumes/volume-store.js';

export interface VolumeBind {
  source: string;
  target: string;
}

export interface PreparedVolumes {
  binds: VolumeBind[];
  /** Hands the volumes' roots to the user the container runs as (a sub-path keeps its owner). */
  handOver(owner: VolumeOwner): Promise<void>;
}

/** Mounts (or finds mounted) each volume on the host; nothing when the spec has none. */
export async function prepareVolumes(store: VolumeStore | null, volumes: readonly VolumeMount[]): Promise<PreparedVolumes> {
  const binds: VolumeBind[] = [];
  const roots: string[] = [];
  for (const volume of volumes) {
    if (!store) throw new Error('this runtime keeps no volumes');
    const root = await store.ensure(volume.volumeId, volume.sizeMi);
    if (volume.subPath) binds.push({ source: join(root, checkSubPath(volume.subPath)), target: volume.mountPath });
    else {
      binds.push({ source: root, target: volume.mountPath });
      roots.push(root);
    }
  }
  return {
    binds,
    async handOver(owner) {
      for (const root of roots) await chown(root, owner.uid, owner.gid);
    },
  };
}
