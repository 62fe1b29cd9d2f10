// The process driver: each instance is a child process of Berth, sandboxed with bubblewrap,
// limited by cgroup v1 and given a network namespace of its own where the machine allows, and
// plain otherwise (said once in the log; refused when isolation is required).
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { InstanceStatus, OutputLine, Runtime, RuntimeEvent, StopOptions } from '../../../core/ports/runtime.js';
import { removeCgroupRoot, type CgroupLocation } from '../host/cgroup-v1.js';
import { detectIsolation, logIsolation } from './detect-isolation.js';
import { createDiskMeter } from '../host/disk-usage.js';
import { launchInstance, type Instance } from './instance.js';
import { checkSafeName, networkTag, uidMapFile } from '../host/names.js';
import { resolveHostTools } from '../host/host-tools.js';
import type { ProcessRuntimeOptions } from './options.js';
import { cleanupOrphans } from './orphans.js';
import { createLoopbackPortAllocator } from './port-allocator.js';
import { waitForReadiness } from '../host/readiness.js';
import { createUidAllocator } from './uid-allocator.js';

export type { ProcessRuntimeOptions } from './options.js';

/** The port, plus what only a process driver has: the host pid of an instance (tests and benchmarks look at its process tree). */
export interface ProcessRuntime extends Runtime {
  hostPid(instanceId: string): number | null;
}

/** Exited instances kept for status() after their exit, oldest dropped first. */
const KEEP_EXITED = 200;

export async function createProcessRuntime(options: ProcessRuntimeOptions): Promise<ProcessRuntime> {
  const tools = resolveHostTools(options.tools);
  const stateDir = resolve(options.stateDir);
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const location: CgroupLocation = {
    mount: options.cgroupMount ?? '/sys/fs/cgroup',
    root: checkSafeName('cgroupRoot', options.cgroupRoot),
  };
  const uidRange = options.uidRange ?? { first: 1_000_000, count: 1_000_000 };
  const resolvConfPath = options.resolvConfPath ?? '/etc/resolv.conf';
  const support = await detectIsolation({
    tools,
    sandbox: options.sandbox ?? 'auto',
    cgroups: options.cgroups ?? 'auto',
    network: options.network ?? 'auto',
    cgroupLocation: location,
    testUid: uidRange.first,
    networkTag: networkTag(location.root, stateDir),
    instanceCidr: options.instanceCidr ?? null,
    hostServices: options.hostServices ?? [],
    resolvConfPath,
    logger: options.logger,
    stateDir,
  });
  logIsolation(options.logger, support);

  const instances = new Map<string, Instance>();
  const starting = new Set<string>();
  const outputListeners = new Set<(line: OutputLine) => void>();
  const exitListeners = new Set<(status: InstanceStatus) => void>();
  const eventListeners = new Set<(event: RuntimeEvent) => void>();
  const notify = <T>(listeners: Set<(value: T) => void>, value: T): void => {
    for (const listener of listeners) {
      try {
        listener(value);
      } catch (error) {
        options.logger.error({ err: error }, 'runtime listener threw');
      }
    }
  };
  const forget = (): void => {
    const exited = [...instances.values()].filter((i) => i.status.phase === 'exited');
    for (const old of exited.slice(0, Math.max(0, exited.length - KEEP_EXITED)))
      instances.delete(old.status.instanceId);
  };

  const deps = {
    stateDir,
    hiddenPaths: options.hiddenPaths.map((p) => resolve(p)),
    tools,
    resolvConfPath,
    cgroups: support.cgroups ? location : null,
    support,
    network: support.network,
    ports: options.ports ?? createLoopbackPortAllocator(),
    uids: createUidAllocator(uidMapFile(stateDir), uidRange),
    logger: options.logger,
    volumes: options.volumes ?? null,
    emitLine: (line: OutputLine) => notify(outputListeners, line),
    emitExit: (status: InstanceStatus) => {
      notify(exitListeners, status);
      notify(eventListeners, { kind: 'exited', instanceId: status.instanceId, at: status.exitedAt ?? new Date(), status });
    },
    diskUsage: createDiskMeter(),
  };

  const get = (instanceId: string): Instance => {
    const instance = instances.get(instanceId);
    if (!instance) throw new Error(`unknown instance ${instanceId}`);
    return instance;
  };

  const runtime: ProcessRuntime = {
    name: 'process',
    isolation: { sandbox: support.sandbox, cgroups: support.cgroups, networkNamespaces: support.network !== null, diskLimits: support.disk },

    async start(spec) {
      const existing = instances.get(spec.instanceId);
      if (starting.has(spec.instanceId) || (existing && existing.status.phase !== 'exited')) {
        throw new Error(`instance ${spec.instanceId} is already running`);
      }
      forget();
      starting.add(spec.instanceId);
      try {
        const instance = await launchInstance(deps, spec);
        instances.set(spec.instanceId, instance);
        notify(eventListeners, { kind: 'started', instanceId: spec.instanceId, at: instance.status.startedAt });
        return { ...instance.status };
      } finally {
        starting.delete(spec.instanceId);
      }
    },

    async waitReady(instanceId, probe, deadlineMs) {
      const instance = get(instanceId);
      const { address, startedAt } = instance.status;
      const ready = await waitForReadiness(
        probe,
        {
          address,
          startedAtMs: startedAt.getTime(),
          exited: instance.exitReason,
          listeningPorts: () => instance.listeningPorts(),
          preferredPorts: instance.preferredPorts,
        },
        deadlineMs,
      );
      instance.markReady(ready.port);
      notify(eventListeners, { kind: 'ready', instanceId, at: new Date(), address: instance.status.address });
    },

    async stop(instanceId, stopOptions) {
      await instances.get(instanceId)?.stop(stopOptions.drainTimeoutMs);
    },

    async status(instanceId) {
      const instance = instances.get(instanceId);
      return instance ? { ...instance.status } : null;
    },

    hostPid(instanceId) {
      return instances.get(instanceId)?.pid ?? null;
    },

    async list() {
      return [...instances.values()].map((i) => ({ ...i.status }));
    },

    async usage(instanceId, usageOptions) {
      return (await instances.get(instanceId)?.usage(usageOptions)) ?? null;
    },

    onOutput(listener) {
      outputListeners.add(listener);
      return () => outputListeners.delete(listener);
    },

    onExit(listener) {
      exitListeners.add(listener);
      return () => exitListeners.delete(listener);
    },

    onEvent(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },

    // Processes die with their parent or are killed here: none can be taken back.
    async adopt() {
      const live = new Set(
        [...instances.values()].filter((i) => i.status.phase !== 'exited').map((i) => i.status.instanceId),
      );
      const killed = await cleanupOrphans({ stateDir, cgroups: deps.cgroups, live });
      if (killed > 0) options.logger.warn({ killed }, 'killed instances left behind by a previous run of Berth');
      const namespaces = (await support.network?.cleanupOrphans()) ?? 0;
      if (namespaces > 0) options.logger.warn({ namespaces }, 'removed network namespaces left behind by a previous run of Berth');
      return { adopted: [], removed: killed };
    },

    async close(stopOptions: StopOptions) {
      await Promise.all([...instances.values()].map((i) => i.stop(stopOptions.drainTimeoutMs)));
      if (deps.cgroups) await removeCgroupRoot(deps.cgroups);
      await support.network?.close();
    },
  };
  return runtime;
}
