// Berth's labels on the containers and networks it makes: enough to find them again after a
// restart of Berth (containers outlive it) and to know what each one runs, without a store.
import type { Artifact, VolumeMount } from '../../../core/ports/runtime.js';

export const LABEL = {
  tag: 'berth.tag',
  instance: 'berth.instance',
  app: 'berth.app',
  revision: 'berth.revision',
  artifact: 'berth.artifact',
  port: 'berth.port',
  memoryMi: 'berth.memory-mi',
  volumes: 'berth.volumes',
} as const;

export interface InstanceLabels {
  tag: string;
  instanceId: string;
  appId: string;
  revisionName: string;
  artifact: Artifact;
  /** Where the app was told to listen (PORT); null for workers. */
  port: number | null;
  memoryMi: number;
  /** Its persistent volumes: an adopted container's volumes stay mounted while it runs. */
  volumes: readonly VolumeMount[];
}

export function instanceLabels(labels: InstanceLabels): Record<string, string> {
  return {
    [LABEL.tag]: labels.tag,
    [LABEL.instance]: labels.instanceId,
    [LABEL.app]: labels.appId,
    [LABEL.revision]: labels.revisionName,
    [LABEL.artifact]: JSON.stringify(labels.artifact),
    [LABEL.port]: labels.port === null ? '' : String(labels.port),
    [LABEL.memoryMi]: String(labels.memoryMi),
    [LABEL.volumes]: JSON.stringify(labels.volumes),
  };
}

/** The labels back, or null when they are not all there (not a container of this Berth). */
export function readInstanceLabels(labels: Readonly<Record<string, string>>): InstanceLabels | null {
  const get = (key: string): string | null => labels[key] ?? null;
  const [tag, instanceId, appId, revisionName, artifact] = [get(LABEL.tag), get(LABEL.instance), get(LABEL.app), get(LABEL.revision), get(LABEL.artifact)];
  if (!tag || !instanceId || !appId || !revisionName || !artifact) return null;
  let parsed: Artifact;
  try {
    parsed = JSON.parse(artifact) as Artifact;
  } catch {
    return null;
  }
  const port = Number(get(LABEL.port) || NaN);
  return { tag, instanceId, appId, revisionName, artifact: parsed, port: Number.isInteger(port) ? port : null, memoryMi: Number(get(LABEL.memoryMi) ?? 0), volumes: parseVolumes(get(LABEL.volumes)) };
}

/** The volumes label back; containers made before it existed have none. */
function parseVolumes(text: string | null): VolumeMount[] {
  if (!text) return [];
  try {
    const parsed: unknown = JSON.parse(text);
    if (!Array.isArray(parsed)) return [];
    return parsed.flatMap((v: Partial<VolumeMount>) =>
      typeof v.volumeId === 'string' && typeof v.mountPath === 'string' && typeof v.sizeMi === 'number'
        ? [{ volumeId: v.volumeId, mountPath: v.mountPath, sizeMi: v.sizeMi, ...(typeof v.subPath === 'string' ? { subPath: v.subPath } : {}) }]
        : [],
    );
  } catch {
    return [];
  }
}
