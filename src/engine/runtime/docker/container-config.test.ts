import { describe, expect, it } from 'vitest';
import type { InstanceSpec } from '../../../core/ports/runtime.js';
import { containerConfig } from './container-config.js';
import { readInstanceLabels } from './labels.js';

const spec: InstanceSpec = {
  instanceId: 'inst-1',
  appId: 'app-1',
  revisionName: 'app-00001',
  artifact: { kind: 'image', ref: 'registry.test/app@sha256:' + 'a'.repeat(64) },
  command: [],
  env: {},
  listens: true,
  limits: { memoryMi: 64, cpuMillicores: 0, pids: 0 },
  volumes: [
    { volumeId: 'vol_0123456789', mountPath: '/data', sizeMi: 32 },
    { volumeId: 'db_0123456789', mountPath: '/var/run/redis', sizeMi: 1024, subPath: 'sockets' },
  ],
};

describe('containerConfig with volumes', () => {
  const config = containerConfig({
    spec,
    tag: 't',
    name: 'berth-t-inst-1',
    network: 'berth-t-app-1',
    treeImage: 'tree',
    port: 8080,
    volumes: [
      { source: '/srv/berth/volumes/vol_0123456789/data', target: '/data' },
      { source: '/srv/berth/volumes/db_0123456789/data/sockets', target: '/var/run/redis' },
    ],
  });

  it('binds each volume read-write at its mount path', () => {
    expect(config.HostConfig?.Mounts).toEqual([
      { Type: 'bind', Source: '/srv/berth/volumes/vol_0123456789/data', Target: '/data', ReadOnly: false },
      { Type: 'bind', Source: '/srv/berth/volumes/db_0123456789/data/sockets', Target: '/var/run/redis', ReadOnly: false },
    ]);
  });

  it('labels the container with its volumes, so an adopted one keeps them mounted', () => {
    expect(readInstanceLabels(config.Labels ?? {})?.volumes).toEqual(spec.volumes);
    expect(readInstanceLabels({ ...config.Labels, 'berth.volumes': 'not json' })?.volumes).toEqual([]);
  });

  it('binds nothing more without volumes', () => {
    expect(containerConfig({ spec: { ...spec, volumes: [] }, tag: 't', name: 'n', network: 'n', treeImage: 'tree', port: 8080 }).HostConfig).not.toHaveProperty('Mounts');
  });
});
