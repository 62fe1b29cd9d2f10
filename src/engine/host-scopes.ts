// Where one Berth keeps its host-side isolation: each process runtime (and the build steps) it
// composes, named by a state dir and a cgroup root, from which names.ts derives its cgroups,
// network namespaces and nftables tables. main.ts builds its drivers from here, so whoever must
// find what a Berth that is gone left on the host (the test run's sweep) derives the same names.
import path from 'node:path';
import { builderPaths } from './builder/builder-paths.js';

export interface RuntimeScope {
  stateDir: string;
  cgroupRoot: string;
}

export interface HostScopes {
  instances: RuntimeScope;
  /** Preview sessions' dev servers. */
  previews: RuntimeScope;
  /** Build steps (the step driver adds `-builds` to the root) and their uids file. */
  builds: RuntimeScope & { uidsFile: string };
  /** Database servers: a cgroup root, no network of their own. */
  databases: { cgroupRoot: string };
}

export function hostScopes(dataDir: string, cgroupName: string): HostScopes {
  const builds = builderPaths(path.join(dataDir, 'builds'));
  return {
    instances: { stateDir: path.join(dataDir, 'runtime'), cgroupRoot: cgroupName },
    previews: { stateDir: path.join(dataDir, 'previews', 'runtime'), cgroupRoot: `${cgroupName}-prv` },
    builds: { stateDir: builds.state, uidsFile: builds.uids, cgroupRoot: cgroupName },
    databases: { cgroupRoot: `${cgroupName}-db` },
  };
}
