// What the core needs from the engine's reconciler: warm a revision before traffic moves to it,
// apply the store's desired state now, replace the instances of what serves (restart), and
// report what is running.
import type { App } from '../../domain/app.js';
import type { InstanceUsage } from './runtime.js';

export const runtimeConditionTypes = ['Available', 'Progressing', 'Ready', 'CrashLoop', 'OOMKilled'] as const;
export type RuntimeConditionType = (typeof runtimeConditionTypes)[number];

/** A condition as Kubernetes reports one: its own transition time, and a message whenever it is False. */
export interface RuntimeCondition {
  type: RuntimeConditionType;
  status: 'True' | 'False';
  reason: string | null;
  message: string | null;
  /** When this condition's status last flipped (never 1970: first seen counts as a flip). */
  lastTransitionTime: string;
}

/** `Stopping`: nothing is wanted, but instances told to stop still run (a pod's Terminating). */
export type RuntimePhase = 'Pending' | 'Running' | 'Failed' | 'Stopping' | 'Stopped' | 'CrashLoopBackOff';

export interface RevisionRuntimeStatus {
  phase: RuntimePhase;
  ready: number;
  /** Instances that should exist: the wanted ones (a crashed one waiting for its restart too), or more while extras stop. */
  total: number;
  /** Of `total`, instances that crashed and wait for their restart (the reason is in the Ready condition). */
  restarting: number;
  /** Besides `total`: instances told to stop whose process has not exited yet (draining, or ignoring SIGTERM until the drain timeout). */
  stopping: number;
  /** Why an instance of the revision last failed (exit code and stderr line, OOM kill…), if one ever did. */
  lastFailure: string | null;
  lastFailureAt: Date | null;
  /** Instances started again after one failed (the first start of each is not a restart). */
  restarts: number;
  conditions: RuntimeCondition[];
}

export interface AppRuntimeSummary {
  /** Replicas the app asks for per serving revision now (scale, autoscaler or minimum). */
  desiredReplicas: number;
  /** Instances of the revisions that hold traffic (percent > 0): the app's replicas. */
  readyReplicas: number;
  /** Replicas that should exist (wanted, or more while extras stop): a crashed one waiting for its restart counts. */
  totalReplicas: number;
  /** Other instances: warm standbys of recently served revisions and tagged 0 % revisions. */
  warmInstances: number;
  /** Instances out of routing whose process has not exited yet (draining, or ignoring SIGTERM until the drain timeout). */
  stoppingInstances: number;
  /** Usage of the replicas only. */
  cpuUsageMillicores: number | null;
  memoryUsageMi: number | null;
}

/**
 * What the reconciler is doing with an instance: starting it (until ready), running it, stopping
 * it, or waiting out its backoff after it crashed (no process runs until it is started again).
 */
export const instancePhases = ['starting', 'running', 'stopping', 'restarting'] as const;
export type InstancePhase = (typeof instancePhases)[number];

export interface InstanceReport {
  instanceId: string;
  revisionId: string;
  revisionName: string;
  phase: InstancePhase;
  ready: boolean;
  /** Its revision holds a share of traffic: the instance is one of the app's replicas (else a warm standby). */
  serving: boolean;
  /** How many failed instances were replaced on the way to this one (a pod's restart count). */
  restarts: number;
  startedAt: Date;
  /** Where it runs: the runtime's node (the process driver's is this machine). */
  node: string;
  /** Why it stopped, while it waits to be restarted (phase `restarting`); null otherwise. */
  failure: string | null;
  /** Only when asked for; null when the runtime cannot measure it now. */
  usage?: InstanceUsage | null;
}

export interface RestartReport {
  /** Each replaced instance and the one that took its place, in order. */
  replaced: { instanceId: string; by: string }[];
}

export interface Orchestrator {
  /**
   * Ensures `replicas` instances of the revision run and are ready; resolves when they are,
   * rejects with the reason (exit, OOM, the app deleted, or nothing ready within `deadlineMs`)
   * when they cannot be. Idempotent.
   */
  warm(revisionId: string, replicas: number, deadlineMs: number): Promise<void>;
  /** Applies the store's desired state now; resolves once the edge routes by it. */
  reconcileNow(): Promise<void>;
  /** `failure`: why the revision failed, when the store says it did. */
  revisionStatus(revisionId: string, failure?: string | null): RevisionRuntimeStatus;
  appSummary(appId: string): Promise<AppRuntimeSummary>;
  /** The app's instances (replicas and warm standbys), with their usage when `usage` is asked for (`disk` too: slower). */
  instances(appId: string, options?: { usage?: boolean; disk?: boolean }): Promise<InstanceReport[]>;
  /**
   * Replaces every instance of the app's serving revisions that started before `startedBefore`
   * (a later one is fresh already), one at a time: a new instance starts, joins the route table
   * once ready, then the old one leaves it and drains. No new revision. Rejects when a
   * replacement is not ready within `deadlineMs` (the old instance keeps serving).
   */
  restart(appId: string, options: { deadlineMs: number; startedBefore: Date }): Promise<RestartReport>;
  /**
   * Resolves once no instance of the app runs any more, those told to stop included (an app that
   * ignores SIGTERM runs until the drain timeout kills it); at the latest a little after that timeout.
   */
  instancesGone(appId: string): Promise<void>;
  /** Replicas the app runs per serving revision now: a manual scale, the autoscaler's choice, or minReplicas. */
  replicasFor(app: App): number;
}
