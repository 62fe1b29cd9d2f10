// What the core needs from a runtime driver (process, docker, kubernetes). Drivers implement
// this and pass engine/runtime/conformance.ts; the core never sees driver-specific types.
// A spec says what to run (artifact, command, env, port, limits), never how; status, listing and
// events are the driver's report, asynchronous because some drivers ask a daemon.
import type { Artifact } from '../../domain/artifact.js';

export type { Artifact } from '../../domain/artifact.js';

export interface ResourceLimits {
  memoryMi: number;
  cpuMillicores: number;
  pids: number;
  /** Writable space of the instance (what it adds to or changes in its tree), MiB; 0 or absent: unbounded. */
  diskMi?: number;
}

/** A persistent volume mounted read-write at `mountPath` (the driver knows where it lives). */
export interface VolumeMount {
  volumeId: string;
  mountPath: string;
  /** Its size, MiB: a full volume is the app's ENOSPC. */
  sizeMi: number;
  /** Mount only this directory of the volume (a database server's socket directory); its owner stays. */
  subPath?: string;
}

export type ReadinessProbe =
  | { kind: 'http'; path: string; timeoutMs: number }
  | { kind: 'tcp'; timeoutMs: number }
  /** Workers have no port: ready once they have stayed up for `minUptimeMs`. */
  | { kind: 'uptime'; minUptimeMs: number };

export interface InstanceSpec {
  /** Unique, from domain/names.ts. */
  instanceId: string;
  appId: string;
  revisionName: string;
  /** What the instance runs: a tree on this machine (its writable app dir) or an image pinned by digest. */
  artifact: Artifact;
  /** argv (run in the artifact's app dir); never a shell string built from user input. Empty: the image's own command. */
  command: readonly string[];
  /** Exactly the environment the instance sees (revision env + Berth's own variables, PORT excluded). */
  env: Readonly<Record<string, string>>;
  /** Whether the instance listens on a port (web/api) or not (worker/cron). */
  listens: boolean;
  /**
   * Ports the app is known to listen on (its `port`, then its custom domains' `targetPort`),
   * first preferred. The driver serves the app where it really listens: PORT when it listens
   * there, else the first of these it listens on, else the lowest port it listens on.
   */
  preferredPorts?: readonly number[];
  limits: ResourceLimits;
  /**
   * Cpu the instance may use until its first readiness pass, when more than its limit (Cloud
   * Run's startup cpu boost): apps load their code faster, and rollouts wait less. 0 or absent: none.
   */
  startupCpuMillicores?: number;
  /** Persistent volumes, the same for every instance of every revision of the app. */
  volumes?: readonly VolumeMount[];
}

/** `starting` until a waitReady passes, then `running`; `exited` once the process is gone and cleaned up. */
export type InstancePhase = 'starting' | 'running' | 'exited';

export interface InstanceStatus {
  instanceId: string;
  appId: string;
  revisionName: string;
  phase: InstancePhase;
  /**
   * Where the edge dials it; null for instances that do not listen. Until ready, where the app
   * was told to listen (PORT); once ready, where it was found listening.
   */
  address: { host: string; port: number } | null;
  startedAt: Date;
  exitedAt: Date | null;
  /** A sandbox relays an app killed by signal N as exit code 128 + N. */
  exitCode: number | null;
  signal: string | null;
  /** Killed by the memory limit. */
  oomKilled: boolean;
}

export interface InstanceUsage {
  /** Share of one core, 0..100 per core (200 = two full cores). */
  cpuPercent: number;
  memoryMi: number;
  /**
   * Bytes of disk the instance's writable space holds beyond what its revision shipped (files it
   * wrote); null when not asked for (`disk`) or not measurable. Instances of one revision may share it.
   */
  diskBytes: number | null;
  /** Bytes received and sent on the instance's own network interface; null without one (host network). */
  networkRxBytes: number | null;
  networkTxBytes: number | null;
}

export interface UsageOptions {
  /** Measure disk too: a walk of the writable space, slower than the counters. */
  disk?: boolean;
}

export interface OutputLine {
  instanceId: string;
  appId: string;
  revisionName: string;
  stream: 'stdout' | 'stderr';
  line: string;
  at: Date;
}

/** What drivers report as it happens; `exited` carries the final status (code, signal, OOM kill). */
export type RuntimeEvent =
  | { kind: 'pulled'; instanceId: string; at: Date; ref: string }
  | { kind: 'started'; instanceId: string; at: Date }
  | { kind: 'ready'; instanceId: string; at: Date; address: InstanceStatus['address'] }
  | { kind: 'exited'; instanceId: string; at: Date; status: InstanceStatus };

/** What a driver found on start: instances a previous run of Berth left that it still runs (the caller keeps or stops them). */
export interface Adoption {
  adopted: AdoptedInstance[];
  /** Instances it could not take back and removed (the process driver's orphans). */
  removed: number;
}

export interface AdoptedInstance {
  status: InstanceStatus;
  /** The artifact it runs, as its spec said. */
  artifact: Artifact;
  /** Ready when the previous run left it: it can serve again without a new probe. */
  ready: boolean;
}

export interface StopOptions {
  /** SIGTERM first; SIGKILL when the instance is still alive after this long. */
  drainTimeoutMs: number;
}

export interface RuntimeIsolation {
  sandbox: boolean;
  cgroups: boolean;
  networkNamespaces: boolean;
  /** Limits.diskMi is enforced. */
  diskLimits: boolean;
}

export interface Runtime {
  readonly name: string;
  readonly isolation: RuntimeIsolation;
  start(spec: InstanceSpec): Promise<InstanceStatus>;
  /**
   * Resolves once ready per the probe; rejects with the reason when it exits or times out first.
   * `deadlineMs` is a duration from the call.
   */
  waitReady(instanceId: string, probe: ReadinessProbe, deadlineMs: number): Promise<void>;
  stop(instanceId: string, options: StopOptions): Promise<void>;
  status(instanceId: string): Promise<InstanceStatus | null>;
  list(): Promise<InstanceStatus[]>;
  usage(instanceId: string, options?: UsageOptions): Promise<InstanceUsage | null>;
  onOutput(listener: (line: OutputLine) => void): () => void;
  onExit(listener: (status: InstanceStatus) => void): () => void;
  onEvent(listener: (event: RuntimeEvent) => void): () => void;
  /**
   * Once, before starting anything: takes back the instances a previous run of Berth left that the
   * driver can still run (containers outlive Berth), and removes what it cannot (processes).
   */
  adopt(): Promise<Adoption>;
  /** Stops every instance (Berth shutting down). */
  close(options: StopOptions): Promise<void>;
}
