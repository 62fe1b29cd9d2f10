// What a reconciler is given and what it offers beyond the core's Orchestrator port.
import type { Clock } from '../../core/ports/clock.js';
import type { EventSink } from '../../core/ports/events.js';
import type { Logger } from '../../core/ports/logger.js';
import type { InstanceReport, Orchestrator } from '../../core/ports/orchestrator.js';
import type { Endpoint, RouteTable } from '../../core/ports/route-table.js';
import type { Runtime } from '../../core/ports/runtime.js';
import type { Store } from '../../core/ports/store.js';
import type { PlatformEnv } from '../../domain/instance-env.js';
import type { CrashPolicy } from './crash-backoff.js';

export interface ReconcilerOptions {
  store: Store;
  runtime: Runtime;
  clock: Clock;
  logger: Logger;
  platformEnv: PlatformEnv;
  buildRoutes: (input: {
    version: number;
    endpoints: (revisionId: string) => readonly Endpoint[];
  }) => Promise<RouteTable>;
  /** Hands the edge a table; a promise resolves once the edge serves it. */
  publish: (table: RouteTable) => void | Promise<void>;
  readyTimeoutMs?: number;
  drainTimeoutMs?: number;
  /** Time between taking an instance out of the route table and signalling it to stop. */
  unrouteGraceMs?: number;
  /** Requests the edge still has in flight to an instance; it is signalled once they are answered. */
  inFlight?: (endpoint: Endpoint) => number;
  intervalMs?: number;
  warmWindowMs?: number;
  /** Recently served revisions kept warm per app (default 1; 0: none). */
  warmRevisions?: number;
  workerReadyAfterMs?: number;
  pidsLimit?: number;
  /** Cpu an instance may use until it is first ready, when above its limit (0: no boost). */
  startupCpuMillicores?: number;
  crashPolicy?: CrashPolicy;
  /** Where instances are told to have started, become ready, failed or been stopped. */
  events?: EventSink;
  /** The node instances run on, as reports name it. */
  nodeName?: string;
  /** Told once an instance Berth stopped has exited: the tree it ran from may be free now. */
  onStopped?: (appId: string) => void;
  /** Instances started outside the reconciler's plan (a cron app's run in progress), listed with the app's own. */
  jobRuns?: { reports(appId: string, serving: ReadonlySet<string>, node: string): InstanceReport[] };
}

export interface Reconciler extends Orchestrator {
  start(): Promise<void>;
  /**
   * Stops reconciling, then every instance: SIGTERM, SIGKILL after `drainTimeoutMs` (default: the
   * reconciler's; Berth's shutdown passes what is left of its drain).
   */
  stop(options?: { drainTimeoutMs?: number }): Promise<void>;
  /** Autoscaler's choice for an app (replicas within min..max); a manual scale clears it. */
  setAutoscaled(appId: string, replicas: number): void;
  /** Ready instances of the revisions that serve the app (its replicas, not warm standbys). */
  readyInstances(appId: string): { instanceId: string; revisionName: string }[];
}
