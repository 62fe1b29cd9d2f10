// The docker driver: each instance is a container on the Docker Engine (over its socket), on a
// bridge network of its app's own, with the app's limits, Berth's labels and no restart policy.
// Trees run in a tree image made from the host's node; images run as built. Containers outlive
// Berth: on start the driver adopts the ones a previous run left. An image missing from the engine
// is pulled when an instance starts, with the registry credential its revision names.
import type Docker from 'dockerode';
import type { PullLogins } from '../../../core/ports/images.js';
import type { Logger } from '../../../core/ports/logger.js';
import type { Adoption, Artifact, InstanceStatus, OutputLine, Runtime, RuntimeEvent, StopOptions } from '../../../core/ports/runtime.js';
import { choosePort, listeningSockets, reachable } from '../host/listening-ports.js';
import { namespaceTableScript } from '../host/network/nft-rules.js';
import { tcpProbe, waitForReadiness } from '../host/readiness.js';
import { createAppNetworks } from './app-network.js';
import { containerConfig } from './container-config.js';
import { trackContainer, type ContainerInstance } from './container-instance.js';
import { dockerClient } from './docker-client.js';
import { ensureImage, registryOf, type RegistryAuth } from './images.js';
import { dockerRulesTable, forwardToLoopback, installHostRules, removeHostRules } from './host-rules.js';
import { LABEL, readInstanceLabels } from './labels.js';
import { bridgePrefix, containerName } from './names.js';
import { ensureTreeImage } from './tree-image.js';
import { containerUser } from './container-user.js';
import { prepareVolumes } from './volume-binds.js';
import type { VolumeStore } from '../../volumes/volume-store.js';

export interface DockerRuntimeOptions {
  /** DOCKER_HOST: unix:///path or tcp://host:port; null: the default socket. */
  dockerHost: string | null;
  /** Names this Berth's containers, networks and labels: one Berth per tag on an engine. */
  tag: string;
  logger: Logger;
  /** Where the app listens when nothing says (no preferred port): PORT is this. */
  defaultPort?: number;
  /** The logins for pulls of images that are not on the engine yet and name a registry credential; absent: such images cannot be pulled. */
  registryLogins?: PullLogins;
  /** Where persistent volumes live (on this machine: the engine binds them); absent: instances cannot have any. */
  volumes?: VolumeStore;
}

const DEFAULT_PORT = 8080;

/** The engine's own DNS resolver for user-defined networks listens in every container's namespace. */
const ENGINE_DNS = '127.0.0.11';

/** TCP ports the app listens on in its container's namespace (reachable ones, the engine's resolver aside). */
async function appPorts(pid: number): Promise<number[]> {
  if (pid <= 0) return [];
  const sockets = await listeningSockets(pid).catch(() => []);
  return [...new Set(sockets.filter((s) => reachable(s) && s.address !== ENGINE_DNS).map((s) => s.port))];
}

export async function createDockerRuntime(options: DockerRuntimeOptions): Promise<Runtime> {
  const docker = dockerClient(options.dockerHost);
  const tag = options.tag;
  await docker.ping().catch((error: unknown) => {
    throw new Error(`cannot reach the Docker Engine at ${options.dockerHost ?? 'unix:///var/run/docker.sock'} (DOCKER_HOST): ${error instanceof Error ? error.message : String(error)}`);
  });
  const treeImage = await ensureTreeImage(docker);
  const networks = createAppNetworks(docker, tag);
  const rulesTable = dockerRulesTable(tag);
  const hostRules = await installHostRules(rulesTable, bridgePrefix(tag), options.logger);
  const instances = new Map<string, ContainerInstance>();
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
  const hooks = {
    emitLine: (line: OutputLine) => notify(outputListeners, line),
    emitExit: (status: InstanceStatus) => {
      notify(exitListeners, status);
      notify(eventListeners, { kind: 'exited', instanceId: status.instanceId, at: status.exitedAt ?? new Date(), status });
    },
  };
  const mine = { label: [`${LABEL.tag}=${tag}`] };

  /** How an instance's image is pulled: anonymously, or with the credential its revision names, read now. */
  async function pullAuth(appId: string, artifact: Extract<Artifact, { kind: 'image' }>): Promise<RegistryAuth | null> {
    const name = artifact.registryAuthRef;
    if (!name) return null;
    if (!options.registryLogins) throw new Error(`${artifact.ref} is pulled with the registry credential ${JSON.stringify(name)}, and this runtime reads no credentials`);
    const login = await options.registryLogins({ appId, registryAuthRef: name });
    const registry = registryOf(artifact.ref);
    // A credential re-created for another registry must not send its password to this one.
    if (login.registry !== registry) throw new Error(`the registry credential ${JSON.stringify(name)} is now for ${login.registry}, but ${artifact.ref} is on ${registry}`);
    return { username: login.username, password: login.password, serveraddress: login.registry };
  }

  async function ensureArtifactImage(appId: string, artifact: Extract<Artifact, { kind: 'image' }>): Promise<boolean> {
    try {
      return await ensureImage(docker, artifact.ref, () => pullAuth(appId, artifact));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const as = artifact.registryAuthRef ? ` with the registry credential ${JSON.stringify(artifact.registryAuthRef)}` : ' anonymously';
      throw new Error(`could not pull ${artifact.ref}${as}: ${reason}`, { cause: error });
    }
  }

  /** The container's address on its app network and its init pid, once started. */
  async function placeOf(container: Docker.Container): Promise<{ ip: string; pid: number; startedAt: Date; running: boolean }> {
    const info = await container.inspect();
    const ip = Object.values(info.NetworkSettings.Networks ?? {})[0]?.IPAddress ?? '';
    return { ip, pid: info.State.Pid, startedAt: new Date(info.State.StartedAt), running: info.State.Running };
  }

  async function attach(container: Docker.Container): Promise<NodeJS.ReadableStream> {
    return (await container.attach({ stream: true, stdout: true, stderr: true, logs: false })) as NodeJS.ReadableStream;
  }

  const runtime: Runtime = {
    name: 'docker',
    // Containers are the sandbox; limits are cgroups the engine makes; each app has its own network.
    isolation: { sandbox: true, cgroups: true, networkNamespaces: true, diskLimits: false },

    async start(spec) {
      const existing = instances.get(spec.instanceId);
      if (starting.has(spec.instanceId) || (existing && existing.status.phase !== 'exited')) throw new Error(`instance ${spec.instanceId} is already running`);
      starting.add(spec.instanceId);
      try {
        if (spec.artifact.kind === 'image') {
          const pulled = await ensureArtifactImage(spec.appId, spec.artifact);
          if (pulled) notify(eventListeners, { kind: 'pulled', instanceId: spec.instanceId, at: new Date(), ref: spec.artifact.ref });
        }
        const port = spec.listens ? (spec.preferredPorts?.[0] ?? options.defaultPort ?? DEFAULT_PORT) : null;
        const network = await networks.ensure(spec.appId);
        const volumes = await prepareVolumes(options.volumes ?? null, spec.volumes ?? []);
        const name = containerName(tag, spec.instanceId);
        await docker.getContainer(name).remove({ force: true }).catch(() => undefined);
        const container = await docker.createContainer(containerConfig({ spec, tag, name, network, treeImage, port, volumes: volumes.binds }));
        const output = await attach(container);
        try {
          // The volumes belong to whoever the image runs as, so the app can write them.
          if (volumes.binds.length > 0) await volumes.handOver(await containerUser(container, (await container.inspect()).Config.User ?? ''));
          await container.start();
        } catch (error) {
          await container.remove({ force: true }).catch(() => undefined);
          throw error;
        }
        const place = await placeOf(container);
        const status: InstanceStatus = {
          instanceId: spec.instanceId,
          appId: spec.appId,
          revisionName: spec.revisionName,
          phase: 'starting',
          address: port === null ? null : { host: place.ip, port },
          // When Berth saw it start (uptime probes count from here, as on every driver).
          startedAt: new Date(),
          exitedAt: null,
          exitCode: null,
          signal: null,
          oomKilled: false,
        };
        if (port !== null && place.pid > 0 && place.ip && hostRules) await forwardToLoopback(place.pid, namespaceTableScript(place.ip));
        const instance = trackContainer({ docker, container, status, artifact: spec.artifact, pid: place.pid, output, hooks });
        instances.set(spec.instanceId, instance);
        notify(eventListeners, { kind: 'started', instanceId: spec.instanceId, at: status.startedAt });
        return { ...status };
      } finally {
        starting.delete(spec.instanceId);
      }
    },

    async waitReady(instanceId, probe, deadlineMs) {
      const instance = instances.get(instanceId);
      if (!instance) throw new Error(`unknown instance ${instanceId}`);
      const { address, startedAt } = instance.status;
      const ready = await waitForReadiness(
        probe,
        {
          address,
          startedAtMs: startedAt.getTime(),
          exited: instance.exitReason,
          listeningPorts: async () => (instance.status.phase === 'exited' ? [] : appPorts(instance.pid)),
          preferredPorts: [],
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

    async adopt(): Promise<Adoption> {
      const found = await docker.listContainers({ all: true, filters: JSON.stringify(mine) });
      const adoption: Adoption = { adopted: [], removed: 0 };
      for (const summary of found) {
        const labels = readInstanceLabels(summary.Labels);
        if (!labels || instances.has(labels.instanceId)) continue;
        const container = docker.getContainer(summary.Id);
        const place = await placeOf(container).catch(() => null);
        if (!place?.running) {
          await container.remove({ force: true }).catch(() => undefined);
          adoption.removed += 1;
          continue;
        }
        // Its volumes stay mounted while it runs, and are unmounted with the others when Berth stops.
        for (const volume of labels.volumes) await options.volumes?.ensure(volume.volumeId, volume.sizeMi);
        const address = labels.port === null ? null : { host: place.ip, port: labels.port };
        // Where it listens now: PORT, else a port it was found on (the previous run's choice is not stored).
        const servedPort = address ? choosePort(await appPorts(place.pid), address.port, []) : null;
        const served = address && servedPort !== null ? { ...address, port: servedPort } : address;
        const ready = served === null || (await tcpProbe(served.host, served.port, 1_000)).ok;
        const status: InstanceStatus = {
          instanceId: labels.instanceId,
          appId: labels.appId,
          revisionName: labels.revisionName,
          phase: ready ? 'running' : 'starting',
          address: served,
          startedAt: place.startedAt,
          exitedAt: null,
          exitCode: null,
          signal: null,
          oomKilled: false,
        };
        const instance = trackContainer({ docker, container, status, artifact: labels.artifact, pid: place.pid, output: await attach(container), hooks });
        instances.set(labels.instanceId, instance);
        adoption.adopted.push({ status: { ...status }, artifact: labels.artifact, ready });
      }
      if (adoption.adopted.length > 0) options.logger.info({ count: adoption.adopted.length }, 'adopted containers left by a previous run of Berth');
      return adoption;
    },

    async close(stopOptions: StopOptions) {
      await Promise.all([...instances.values()].map((i) => i.stop(stopOptions.drainTimeoutMs)));
      await networks.prune().catch(() => undefined);
      if (hostRules) await removeHostRules(rulesTable);
    },
  };
  return runtime;
}
