import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('build configuration', () => {
  it('lets a build use every core, 2 GiB and 4096 processes by default', () => {
    expect(loadConfig({}).builds).toMatchObject({ memoryMi: 2048, cpuMillicores: 1000 * availableParallelism(), pids: 4096, concurrency: 1 });
  });

  it('reads the build limits', () => {
    const builds = loadConfig({ BERTH_BUILD_MEMORY_MI: '512', BERTH_BUILD_CPU_MILLICORES: '250', BERTH_BUILD_PIDS: '128' }).builds;
    expect(builds).toMatchObject({ memoryMi: 512, cpuMillicores: 250, pids: 128 });
  });

  it('keeps the artifacts of the newest 10 revisions per app unless BERTH_KEEP_REVISIONS says otherwise', () => {
    expect(loadConfig({}).builds.keepRevisions).toBe(10);
    expect(loadConfig({ BERTH_KEEP_REVISIONS: '1' }).builds.keepRevisions).toBe(1);
  });

  it('prunes devDependencies from Node.js artifacts unless BERTH_PRUNE_DEV_DEPENDENCIES=0', () => {
    expect(loadConfig({}).builds.pruneDevDependencies).toBe(true);
    expect(loadConfig({ BERTH_PRUNE_DEV_DEPENDENCIES: '0' }).builds.pruneDevDependencies).toBe(false);
    expect(loadConfig({ BERTH_PRUNE_DEV_DEPENDENCIES: '1' }).builds.pruneDevDependencies).toBe(true);
  });

  it('sweeps expired uploads every 10 minutes unless BERTH_UPLOAD_SWEEP_MS says otherwise', () => {
    expect(loadConfig({}).builds.uploadSweepMs).toBe(600_000);
    expect(loadConfig({ BERTH_UPLOAD_SWEEP_MS: '100' }).builds.uploadSweepMs).toBe(100);
  });

  it.each([
    ['BERTH_PRUNE_DEV_DEPENDENCIES', 'no'],
    ['BERTH_KEEP_REVISIONS', '0'],
    ['BERTH_KEEP_REVISIONS', '-1'],
    ['BERTH_KEEP_REVISIONS', '2.5'],
    ['BERTH_KEEP_REVISIONS', 'ten'],
    ['BERTH_BUILD_MEMORY_MI', '32'],
    ['BERTH_BUILD_MEMORY_MI', '2G'],
    ['BERTH_BUILD_CPU_MILLICORES', '0'],
    ['BERTH_BUILD_PIDS', '10'],
    ['BERTH_BUILD_CONCURRENCY', '0'],
    ['BERTH_UPLOAD_SWEEP_MS', '0'],
    ['BERTH_UPLOAD_SWEEP_MS', '99'],
    ['BERTH_UPLOAD_SWEEP_MS', '10m'],
  ])('refuses %s=%s naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });
});
