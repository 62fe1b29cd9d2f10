// The runtimes' part of the composition root: the process runtime (the default), the Docker
// runtime, and the preview sessions' engine with a process runtime of its own.
import path from 'node:path';
import type pino from 'pino';
import type { Config } from '../config.js';
import { pullLogin } from '../core/registry-credentials/pull-login.js';
import type { Runtime } from '../core/ports/runtime.js';
import type { Store } from '../core/ports/store.js';
import type { BuildSteps } from '../engine/builder/build-steps.js';
import { hostScopes, type RuntimeScope } from '../engine/host-scopes.js';
import { createPreviewEngine } from '../engine/previews/create-preview-engine.js';
import { createDockerRuntime } from '../engine/runtime/docker/create-docker-runtime.js';
import { createProcessRuntime } from '../engine/runtime/process/create-process-runtime.js';
import type { VolumeStore } from '../engine/volumes/volume-store.js';

/** A process runtime's place (state dir, cgroup root) and the isolation BERTH_ISOLATION asks for, hiding the data dir. */
function isolatedIn(config: Readonly<Config>, scope: RuntimeScope) {
  return {
    stateDir: scope.stateDir,
    cgroupRoot: scope.cgroupRoot,
    hiddenPaths: [config.dataDir],
    sandbox: config.isolation,
    cgroups: config.isolation,
    network: config.networkNamespaces ? config.isolation : ('off' as const),
    hostServices: config.hostServices,
  };
}

/**
 * Preview sessions' engine and the process runtime of its dev servers (apart from the
 * reconciler's: their own cgroup root, network range, uids and state), after removing what a
 * killed run left: its dev servers, namespaces and trees.
 */
export function startPreviewEngine(
  config: Readonly<Config>,
  logger: pino.Logger,
  steps: BuildSteps,
) {
  const rootDir = path.join(config.dataDir, 'previews');
  const scope = hostScopes(config.dataDir, config.cgroupName).previews;
  // Its isolation probes take a few hundred ms: they overlap the rest of Berth's start.
  const runtime = createProcessRuntime({
    ...isolatedIn(config, scope),
    logger: logger.child({ component: 'preview-runtime' }),
    instanceCidr: null,
    uidRange: { first: 3_000_000, count: 1_000_000 },
  }).then(async (made) => {
    await made.adopt();
    return made;
  });
  runtime.catch((error: unknown) => logger.error({ err: error }, 'the preview runtime could not start'));
  const engine = createPreviewEngine({
    rootDir,
    runtime: () => runtime,
    steps,
    floor: { memoryMi: config.builds.memoryMi, cpuMillicores: config.builds.cpuMillicores, pids: config.builds.pids },
    installTimeoutMs: config.builds.timeoutMs,
    readyTimeoutMs: config.readyTimeoutMs,
    logger: logger.child({ component: 'previews' }),
  });
  // After the sweep of a killed run's dev servers: then their trees go.
  void runtime.then(() => engine.cleanLeftovers()).catch((error: unknown) => logger.warn({ err: error }, 'could not remove preview trees a previous run left'));
  return {
    engine,
    async close() {
      await engine.close();
      await (await runtime.catch(() => null))?.close({ drainTimeoutMs: 2_000 });
    },
  };
}

/** Instances as sandboxed host processes (BERTH_RUNTIME=process, the default), with the isolation BERTH_ISOLATION asks for. */
export async function startProcessRuntime(config: Readonly<Config>, logger: pino.Logger, volumes: VolumeStore): Promise<Runtime> {
  const scope = hostScopes(config.dataDir, config.cgroupName).instances;
  return createProcessRuntime({
    ...isolatedIn(config, scope),
    volumes,
    logger: logger.child({ component: 'runtime' }),
    instanceCidr: config.instanceCidr,
  });
}

/**
 * Instances as containers on the Docker Engine (BERTH_RUNTIME=docker); its names carry the cgroup name, one Berth per name.
 * An image missing from the engine is pulled with the registry credential its revision names, read from the store at that moment.
 */
export async function startDockerRuntime(config: Readonly<Config>, logger: pino.Logger, volumes: VolumeStore, store: Store): Promise<Runtime> {
  return createDockerRuntime({
    dockerHost: config.containers.dockerHost,
    tag: config.cgroupName,
    logger: logger.child({ component: 'runtime' }),
    volumes,
    registryLogins: (input) => pullLogin({ store }, input),
  });
}
