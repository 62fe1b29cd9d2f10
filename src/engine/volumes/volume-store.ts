// Persistent volumes on this machine: one directory per volume under Berth's data dir, kept
// across deploys, rollbacks and restarts, removed only when its owner (an app purged, a database
// deleted) goes. Instances and database servers see the directory, never where it lives.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { checkVolumeId } from './volume-names.js';

export interface VolumeStore {
  /** Creates the volume when missing; returns the directory its owner writes in. */
  ensure(volumeId: string, sizeMi: number): Promise<string>;
  /** Every byte of the volume, gone. */
  remove(volumeId: string): Promise<void>;
}

export function createVolumeStore(rootDir: string): VolumeStore {
  const dirOf = (volumeId: string) => join(rootDir, checkVolumeId(volumeId));
  return {
    async ensure(volumeId) {
      const data = join(dirOf(volumeId), 'data');
      await mkdir(data, { recursive: true, mode: 0o755 });
      return data;
    },
    async remove(volumeId) {
      await rm(dirOf(volumeId), { recursive: true, force: true });
    },
  };
}
