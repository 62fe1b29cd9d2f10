// One running instance: prepares its network namespace (or port), cgroups and sandbox, spawns
// it, turns its output into lines, records its pid for orphan cleanup, finds the port it really
// listens on, stops it gracefully, and on exit reports the status (OOM included) and removes
// everything it created.
import { join } from 'node:path';
import { checkSubPath } from '../../volumes/volume-names.js';
import { spawnChild, type ChildProcess } from '../../spawn.js';
import type { InstanceSpec, InstanceStatus, InstanceUsage, OutputLine, UsageOptions } from '../../../core/ports/runtime.js';
import {
  createInstanceCgroups,
  killMembers,
  readProcs,
  wasOomKilled,
  removeInstanceCgroups,
  setCpuLimit,
  type CgroupLocation,
  type InstanceCgroups,
} from '../host/cgroup-v1.js';
import type { IsolationSupport } from './detect-isolation.js';
import { prepareWritableLayer, removeWritableLayer, type WritableLayer } from './disk-layer.js';
import { buildLaunch, checkWorkDir, pidsWithSandbox, type SandboxPlan } from './launch-argv.js';
import { createLineSplitter } from '../host/line-splitter.js';
import { listeningSockets, reachable, socketInodes } from '../host/listening-ports.js';
import { checkSafeName, sandboxHostname } from '../host/names.js';
import type { HostNetwork, NamespaceLease } from './network/host-network.js';
import type { PortAllocator, ProcessRuntimeTools, RuntimeLogger } from './options.js';
import { removeRecord, writeRecord } from './pid-records.js';
import { processTree, readProcStat } from '../host/proc-fs.js';
import { handOverWorkDir, removeSandboxEtc, writeSandboxEtc } from './sandbox-prep.js';
import { killGroup, killTree, signalApp } from './signals.js';
import type { UidAllocator } from './uid-allocator.js';
import type { VolumeStore } from '../../volumes/volume-store.js';
import { createUsageMeter, readRawUsage } from '../host/usage.js';
import { allocatedBytes, vethTraffic } from './instance-io.js';

export interface InstanceDeps {
  stateDir: string;
  hiddenPaths: readonly string[];
  tools: ProcessRuntimeTools;
  resolvConfPath: string;
  cgroups: CgroupLocation | null;
  support: IsolationSupport;
  /** A network namespace per instance, when the machine allows. */
  network: HostNetwork | null;
  ports: PortAllocator;
  uids: UidAllocator;
  logger: RuntimeLogger;
  emitLine(line: OutputLine): void;
  emitExit(status: InstanceStatus): void;
  /** Where persistent volumes live; null: instances cannot have any. */
  volumes: VolumeStore | null;
  /** Bytes the app wrote into a directory (null: cannot tell). */
  diskUsage(dir: string): Promise<number | null>;
}

export interface Instance {
  readonly status: InstanceStatus;
  /** The host pid started (for a sandboxed instance, its outermost helper): the driver's own business. */
  readonly pid: number;
  /** Settles with a human-readable reason once the instance has exited and been cleaned up. */
  readonly exitReason: Promise<string>;
  readonly exited: Promise<InstanceStatus>;
  /** Ready: from now on the edge dials `port` (where the app was found listening). */
  markReady(port: number | null): void;
  /** TCP ports the instance listens on now, that the edge can reach. */
  listeningPorts(): Promise<number[]>;
  readonly preferredPorts: readonly number[];
  stop(drainTimeoutMs: number): Promise<void>;
  usage(options?: UsageOptions): Promise<InstanceUsage | null>;
}

/** Starts with more cpu than its limit until ready (a limit of 0 is no limit: nothing to boost). */
const boosted = (spec: InstanceSpec): boolean =>
  spec.limits.cpuMillicores > 0 && (spec.startupCpuMillicores ?? 0) > spec.limits.cpuMillicores;

/** PORT inside a network namespace of its own, when the app names no port: every app may have it. */
export const NAMESPACE_PORT = 8080;

const OUTPUT_DRAIN_MS = 2_000;
const KILL_WAIT_MS = 10_000;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function describeExit(status: InstanceStatus): string {
  if (status.oomKilled) return 'killed by the memory limit (OOMKilled)';
  if (status.signal) return `killed by ${status.signal}`;
  return `exit code ${status.exitCode ?? 'unknown'}`;
}

async function prepareSandbox(deps: InstanceDeps, spec: TreeSpec): Promise<SandboxPlan> {
  const uid = deps.uids.uidFor(spec.appId);
  await handOverWorkDir(spec.workDir, uid, uid);
  const hostname = sandboxHostname(spec.instanceId);
  const network = deps.network;
  const binds = [];
  for (const volume of spec.volumes ?? []) {
    if (!deps.volumes) throw new Error('this runtime keeps no volumes');
    const root = await deps.volumes.ensure(volume.volumeId, volume.sizeMi, volume.subPath ? undefined : { uid, gid: uid });
    binds.push({ source: volume.subPath ? join(root, checkSubPath(volume.subPath)) : root, target: volume.mountPath });
  }
  const etcFiles = await writeSandboxEtc(deps.stateDir, spec.instanceId, {
    hostname,
    uid,
    gid: uid,
    home: spec.workDir,
    resolvConfPath: deps.resolvConfPath,
    extraHosts: network ? network.services.map((service) => ({ address: network.servicesAddress, name: service.name })) : [],
  });
  return { uid, gid: uid, hostname, etcFiles, hiddenPaths: deps.hiddenPaths, binds };
}

function waitForSpawn(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
}

/** A spec whose artifact is a tree: the process driver runs it in place. */
type TreeSpec = InstanceSpec & { workDir: string };

function treeSpec(spec: InstanceSpec): TreeSpec {
  if (spec.artifact.kind !== 'tree')
    throw new Error(`the process driver runs trees Berth built, not images (${spec.artifact.ref}): set BERTH_RUNTIME=docker to run images`);
  return { ...spec, workDir: spec.artifact.dir };
}

export async function launchInstance(deps: InstanceDeps, given: InstanceSpec): Promise<Instance> {
  const spec = treeSpec(given);
  checkSafeName('instanceId', spec.instanceId);
  checkWorkDir(spec.workDir, deps.hiddenPaths);
  const sandboxed = deps.support.sandbox;
  if ((spec.volumes ?? []).length > 0 && !sandboxed) {
    throw new Error('persistent volumes need the sandbox (bubblewrap), which is off on this machine');
  }
  const lease = deps.network ? await deps.network.attach() : null;
  let port: number | null = null;
  let layer: WritableLayer | null = null;
  let groups: InstanceCgroups | null = null;
  let child: ChildProcess;
  let exitEvent: Promise<ExitEvent>;
  try {
    if (spec.listens) port = lease ? (spec.preferredPorts?.[0] ?? NAMESPACE_PORT) : await deps.ports.allocate();
    if (deps.cgroups) {
      const pids = pidsWithSandbox(spec.limits.pids, sandboxed);
      const cpuMillicores = boosted(spec) ? (spec.startupCpuMillicores ?? 0) : spec.limits.cpuMillicores;
      groups = await createInstanceCgroups(deps.cgroups, spec.instanceId, { ...spec.limits, cpuMillicores, pids });
    }
    const diskMi = spec.limits.diskMi ?? 0;
    if (deps.support.disk && diskMi > 0) {
      const uid = sandboxed ? deps.uids.uidFor(spec.appId) : 0;
      layer = await prepareWritableLayer(deps.tools, deps.stateDir, { instanceId: spec.instanceId, diskMi, uid, gid: uid });
    }
    const env = port === null ? { ...spec.env } : { ...spec.env, PORT: String(port) };
    const plan = buildLaunch({
      tools: deps.tools,
      workDir: spec.workDir,
      command: spec.command,
      env,
      cgroupProcs: groups?.procsFiles ?? [],
      netns: lease?.path ?? null,
      writableLayer: layer,
      sandbox: sandboxed ? await prepareSandbox(deps, spec) : null,
      pdeathsig: deps.support.pdeathsig,
    });
    child = spawnChild(plan.argv, {
      env: plan.spawnEnv,
      cwd: spec.workDir,
      stdio: plan.fd3 ? ['ignore', 'pipe', 'pipe', 'pipe'] : ['ignore', 'pipe', 'pipe'],
    });
    const started = child;
    exitEvent = new Promise((resolve) => started.once('exit', (code, signal) => resolve({ code, signal })));
    const fd3 = plan.fd3 ? child.stdio[3] : null;
    if (fd3 && plan.fd3 && 'write' in fd3) {
      // If the sandbox dies before reading its arguments the write fails; the exit reports why.
      fd3.on('error', () => undefined);
      fd3.end(plan.fd3);
    }
    await waitForSpawn(child);
  } catch (error) {
    if (groups) await removeInstanceCgroups(groups);
    if (port !== null && !lease) deps.ports.release(port);
    await lease?.release();
    await removeSandboxEtc(deps.stateDir, spec.instanceId);
    await removeWritableLayer(deps.stateDir, spec.instanceId);
    throw error;
  }
  return track(deps, spec, child, { port, groups, sandboxed, exitEvent, lease, layer });
}

interface ExitEvent {
  code: number | null;
  signal: NodeJS.Signals | null;
}

interface Resources {
  port: number | null;
  groups: InstanceCgroups | null;
  sandboxed: boolean;
  exitEvent: Promise<ExitEvent>;
  /** The instance's network namespace; null on the shared host network. */
  lease: NamespaceLease | null;
  /** Its bounded writable space; null when writes go to its tree. */
  layer: WritableLayer | null;
}

/** Listening TCP ports the edge can reach: every one in the instance's own namespace, else those its processes hold. */
async function instancePorts(pid: number, res: Resources): Promise<number[]> {
  const sockets = (await listeningSockets(pid)).filter(reachable);
  if (res.lease) return [...new Set(sockets.map((s) => s.port))];
  const pids = res.groups ? await readProcs(res.groups.dirs.pids) : processTree(pid).map((p) => p.pid);
  const inodes = await socketInodes(pids);
  return [...new Set(sockets.filter((s) => inodes.has(s.inode)).map((s) => s.port))];
}

async function track(deps: InstanceDeps, spec: TreeSpec, child: ChildProcess, res: Resources): Promise<Instance> {
  const pid = child.pid ?? 0;
  const startedAt = new Date();
  const status: InstanceStatus = {
    instanceId: spec.instanceId,
    appId: spec.appId,
    revisionName: spec.revisionName,
    phase: 'starting',
    address: res.port === null ? null : { host: res.lease?.address ?? '127.0.0.1', port: res.port },
    startedAt,
    exitedAt: null,
    exitCode: null,
    signal: null,
    oomKilled: false,
  };
  const line = (stream: OutputLine['stream']) =>
    createLineSplitter((text) =>
      deps.emitLine({
        instanceId: spec.instanceId,
        appId: spec.appId,
        revisionName: spec.revisionName,
        stream,
        line: text,
        at: new Date(),
      }),
    );
  const splitters = { stdout: line('stdout'), stderr: line('stderr') };
  child.stdout?.on('data', (chunk: Buffer) => splitters.stdout.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => splitters.stderr.push(chunk));
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));

  const stat = readProcStat(pid);
  await writeRecord(deps.stateDir, {
    instanceId: spec.instanceId,
    appId: spec.appId,
    revisionName: spec.revisionName,
    pid,
    startTicks: stat?.startTicks ?? 0,
    startedAt: startedAt.toISOString(),
  });

  const finish = async (code: number | null, signal: NodeJS.Signals | null): Promise<InstanceStatus> => {
    status.exitedAt = new Date();
    status.exitCode = code;
    status.signal = signal;
    try {
      if (res.groups) {
        status.oomKilled = await wasOomKilled(res.groups, code, signal);
        await killMembers(res.groups); // children that outlived the main process
      } else if (!res.sandboxed) {
        killGroup(pid); // the group outlives its reaped leader; the pid alone may be anyone's now
      }
      await Promise.race([closed, sleep(OUTPUT_DRAIN_MS)]);
      splitters.stdout.flush();
      splitters.stderr.flush();
      if (res.groups && !(await removeInstanceCgroups(res.groups))) {
        deps.logger.warn(
          { instanceId: spec.instanceId },
          'could not remove the instance cgroups; the next cleanup will',
        );
      }
      await removeSandboxEtc(deps.stateDir, spec.instanceId);
      await removeWritableLayer(deps.stateDir, spec.instanceId);
      await res.lease?.release();
      await removeRecord(deps.stateDir, spec.instanceId);
    } catch (error) {
      // The exit must still be reported; leftovers are swept by the next cleanupOrphans.
      deps.logger.error({ instanceId: spec.instanceId, err: error }, 'cleaning up after an instance failed');
    } finally {
      if (res.port !== null && !res.lease) deps.ports.release(res.port);
      status.phase = 'exited';
    }
    deps.emitExit({ ...status });
    return status;
  };

  const exited = res.exitEvent.then(({ code, signal }) => finish(code, signal));
  const meter = createUsageMeter(startedAt.getTime());
  return {
    status,
    pid,
    exited,
    exitReason: exited.then(describeExit),
    markReady(port) {
      if (status.phase !== 'starting') return;
      status.phase = 'running';
      if (port !== null && status.address && port !== status.address.port) {
        deps.logger.info({ instanceId: spec.instanceId, port, told: status.address.port }, 'the app listens on another port than PORT: serving that one');
        status.address = { ...status.address, port };
      }
      if (res.groups && boosted(spec)) {
        setCpuLimit(res.groups, spec.limits.cpuMillicores).catch((error: unknown) =>
          deps.logger.warn({ instanceId: spec.instanceId, err: error }, 'could not end the startup cpu boost'),
        );
      }
    },
    async stop(drainTimeoutMs) {
      if (status.phase === 'exited') return;
      const termed = status.exitedAt === null && signalApp(pid, res.sandboxed, 'SIGTERM');
      if (termed) await Promise.race([exited, sleep(drainTimeoutMs)]);
      if (status.exitedAt === null) {
        killTree(pid);
        if (res.groups) await killMembers(res.groups);
      }
      await Promise.race([exited, sleep(KILL_WAIT_MS)]);
    },
    preferredPorts: spec.preferredPorts ?? [],
    listeningPorts: () => (status.exitedAt === null ? instancePorts(pid, res) : Promise.resolve([])),
    async usage(options = {}) {
      if (status.exitedAt !== null) return null;
      const raw = await readRawUsage(pid, res.groups);
      if (!raw) return null;
      const diskBytes = options.disk ? await (res.layer ? allocatedBytes(res.layer.image) : deps.diskUsage(spec.workDir)) : null;
      // On the shared host network there are no per-instance counters; a namespace has its veth.
      const traffic = res.lease ? await vethTraffic(res.lease.hostInterface) : null;
      return { ...meter.next(raw, Date.now()), diskBytes, networkRxBytes: traffic?.rxBytes ?? null, networkTxBytes: traffic?.txBytes ?? null };
    },
  };
}
