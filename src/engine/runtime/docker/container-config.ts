// An instance spec as the Engine API's container create body (pure). Trees run in Berth's tree
// image with the tree bound at /app; images run as built. No restart policy: crash backoff is
// the reconciler's, as with every driver.
import type { ContainerCreateOptions } from 'dockerode';
import type { InstanceSpec } from '../../../core/ports/runtime.js';
import { instanceLabels } from './labels.js';
import type { VolumeBind } from './volume-binds.js';

/** Where a tree is bound inside the container, and its working directory. */
export const TREE_MOUNT = '/app';

/** Variables the engine adds that a tree instance must not see: it gets exactly its env plus PORT, as on every driver. */
const ENGINE_ADDED = ['PATH', 'HOSTNAME', 'HOME'];

export interface ContainerInput {
  spec: InstanceSpec;
  tag: string;
  name: string;
  network: string;
  /** The image that runs trees (the host's node and the libraries it links). */
  treeImage: string;
  /** PORT, or null for workers. */
  port: number | null;
  /** Persistent volumes, bound read-write. */
  volumes?: readonly VolumeBind[];
}

export function containerConfig(input: ContainerInput): ContainerCreateOptions {
  const { spec, port } = input;
  const env = port === null ? { ...spec.env } : { ...spec.env, PORT: String(port) };
  const tree = spec.artifact.kind === 'tree' ? spec.artifact : null;
  const unset = ENGINE_ADDED.filter((key) => !(key in env)).flatMap((key) => ['-u', key]);
  const limits = spec.limits;
  return {
    name: input.name,
    Image: tree ? input.treeImage : spec.artifact.kind === 'image' ? spec.artifact.ref : '',
    ...(tree ? { Cmd: ['/usr/bin/env', ...unset, ...spec.command], WorkingDir: TREE_MOUNT } : spec.command.length > 0 ? { Cmd: [...spec.command] } : {}),
    Env: Object.entries(env).map(([key, value]) => `${key}=${value}`),
    Labels: instanceLabels({ tag: input.tag, instanceId: spec.instanceId, appId: spec.appId, revisionName: spec.revisionName, artifact: spec.artifact, port, memoryMi: limits.memoryMi, volumes: spec.volumes ?? [] }),
    ...(port === null ? {} : { ExposedPorts: { [`${port}/tcp`]: {} } }),
    AttachStdout: true,
    AttachStderr: true,
    HostConfig: {
      NetworkMode: input.network,
      RestartPolicy: { Name: 'no' },
      ...(limits.memoryMi > 0 ? { Memory: limits.memoryMi * 1024 * 1024, MemorySwap: limits.memoryMi * 1024 * 1024 } : {}),
      ...(limits.cpuMillicores > 0 ? { NanoCpus: limits.cpuMillicores * 1_000_000 } : {}),
      ...(limits.pids > 0 ? { PidsLimit: limits.pids } : {}),
      SecurityOpt: ['no-new-privileges'],
      ...(tree ? { Binds: [`${tree.dir}:${TREE_MOUNT}`], ReadonlyRootfs: true, Tmpfs: { '/tmp': 'rw,nosuid,nodev' }, CapDrop: ['ALL'] } : {}),
      ...(input.volumes?.length ? { Mounts: input.volumes.map((v) => ({ Type: 'bind' as const, Source: v.source, Target: v.target, ReadOnly: false })) } : {}),
      LogConfig: { Type: 'none', Config: {} },
    },
  };
}
