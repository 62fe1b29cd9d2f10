// An app's persistent volumes (issue 15): created with a name, a mount path and a size, mounted in
// every instance from the app's next start of an instance on, removed only when the app is purged.
import { conflict, refuse } from '../../domain/errors.js';
import { volumeLimits, volumeProblems, type AppVolume } from '../../domain/volume.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Deps } from '../deps.js';
import { findApp, type AppRef } from './find-app.js';
import { pinToOneReplica } from './pin-one-replica.js';

export interface VolumeInput {
  name: string;
  mountPath: string;
  sizeMi: number;
  singleWriter?: boolean | undefined;
}

/** The paths where the app already has storage mounted (its volumes and SQLITE databases). */
export async function mountedPaths(deps: Pick<Deps, 'store'>, appId: string): Promise<string[]> {
  const volumes = (await deps.store.volumes.list(appId)).map((v) => v.mountPath);
  const databases = (await deps.store.databases.attachmentsOfApp(appId)).flatMap((a) => (a.mountPath === null ? [] : [a.mountPath]));
  return [...volumes, ...databases];
}

/** Refuses a mount path that equals, contains or sits inside one the app already has. */
export function refuseOverlap(taken: readonly string[], mountPath: string): void {
  const clash = taken.find((p) => p === mountPath || p.startsWith(`${mountPath}/`) || mountPath.startsWith(`${p}/`));
  if (clash !== undefined) conflict(`mountPath ${mountPath} overlaps ${clash}, where the app already has storage mounted`);
}

export async function createVolume(deps: Pick<Deps, 'store' | 'clock' | 'ids'>, input: AppRef & { volume: VolumeInput }): Promise<AppVolume> {
  const app = await findApp(deps, input, 'apps:write');
  refuse(volumeProblems(input.volume));
  const existing = await deps.store.volumes.list(app.id);
  if (existing.length >= volumeLimits.perApp) conflict(`An app may have at most ${volumeLimits.perApp} volumes`);
  refuseOverlap(await mountedPaths(deps, app.id), input.volume.mountPath);
  const volume: AppVolume = {
    id: deps.ids('volume'),
    appId: app.id,
    name: input.volume.name,
    mountPath: input.volume.mountPath,
    sizeMi: input.volume.sizeMi,
    singleWriter: input.volume.singleWriter ?? false,
    createdAt: deps.clock.now(),
  };
  await deps.store.volumes.create(volume);
  if (volume.singleWriter) await pinToOneReplica(deps, app.id);
  await recordAudit(deps, {
    actor: input.actor,
    workspaceId: app.workspaceId,
    action: 'volume.create',
    targetType: 'app',
    targetId: app.id,
    detail: { name: volume.name, mountPath: volume.mountPath, sizeMi: volume.sizeMi },
  });
  return volume;
}

export async function listVolumes(deps: Pick<Deps, 'store'>, input: AppRef): Promise<AppVolume[]> {
  const app = await findApp(deps, input, 'apps:read');
  return deps.store.volumes.list(app.id);
}
