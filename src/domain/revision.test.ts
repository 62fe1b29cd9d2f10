// What a revision's instances run, as the runtime port takes it: an image revision carries the
// name of the registry credential its deploy pulled with (never a password), a tree none.
import { describe, expect, it } from 'vitest';
import { revisionArtifact } from './revision.js';

const config = { command: [], listens: true, readinessPath: '/', readinessType: 'http' as const, cpuLimitMillicores: 500, memoryLimitMi: 256 };
const pinned = `registry.example.com/app@sha256:${'a'.repeat(64)}`;

describe('revisionArtifact', () => {
  it('names the credential an image revision pulls with, and none when its deploy named none', () => {
    expect(revisionArtifact({ imageRef: pinned, artifactDir: '', artifactKind: 'image', config: { ...config, registryAuthRef: 'private' } })).toEqual({ kind: 'image', ref: pinned, registryAuthRef: 'private' });
    expect(revisionArtifact({ imageRef: pinned, artifactDir: '', artifactKind: 'image', config: { ...config, registryAuthRef: null } })).toEqual({ kind: 'image', ref: pinned });
    expect(revisionArtifact({ imageRef: pinned, artifactDir: '', artifactKind: 'image', config })).toEqual({ kind: 'image', ref: pinned });
  });

  it('gives a tree revision its tree', () => {
    expect(revisionArtifact({ imageRef: 'sha256:abc', artifactDir: '/d', artifactKind: 'tree', config })).toEqual({ kind: 'tree', digest: 'sha256:abc', dir: '/d' });
  });
});
