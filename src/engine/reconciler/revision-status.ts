// A revision's runtime status in the shape of spec 001's runtime-status, as Kubernetes reports a
// Deployment's: a phase, ready/total, and conditions that each carry a reason, a message whenever
// they are False, and their own transition time (kept by `stampConditions` across calls).
import type { RevisionRuntimeStatus, RuntimeCondition, RuntimeConditionType, RuntimePhase } from '../../core/ports/orchestrator.js';
import { takesHttp } from '../../domain/app-kind-facts.js';
import type { CrashRecord } from './crash-backoff.js';

/** What the revision's app is, for the words: a worker and a cron app take no HTTP traffic at all. */
export type Workload = 'http' | 'worker' | 'cron';

export interface RevisionFacts {
  /** Instances the reconciler wants of this revision now. */
  desired: number;
  ready: number;
  /** Instances running or starting (not being stopped). */
  total: number;
  /** Instances told to stop whose process has not exited yet (draining, or ignoring SIGTERM until the drain timeout). */
  stopping: number;
  crash: CrashRecord;
  /** Instances that crashed and are not replaced yet (one whose replacement is being started still counts). */
  crashed: number;
  crashLooping: boolean;
  /** Within the crash policy's window: an OOM kill older than that no longer describes the revision. */
  recentFailure: boolean;
  /** Why the revision failed (its deployment did not make it), when it did. */
  failure: string | null;
  workload: Workload;
  /** Its revision is the one (or one of those) the app runs: a share of traffic for a web app. */
  serving: boolean;
  /** The app is scaled to zero. */
  appStopped: boolean;
}

/** The app's side of a revision's facts; an app Berth no longer loads reads as a web app that runs nothing. */
export function appFacts(app: { type: string; replicas: number | null } | undefined, serving: boolean): Pick<RevisionFacts, 'workload' | 'serving' | 'appStopped'> {
  const workload: Workload = !app || takesHttp(app.type) ? 'http' : app.type === 'cron' ? 'cron' : 'worker';
  return { workload, serving, appStopped: app?.replicas === 0 };
}

type Computed = Omit<RuntimeCondition, 'lastTransitionTime'>;

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
const stillStopping = (n: number) => `${plural(n, 'instance')} told to stop ${n === 1 ? 'is' : 'are'} still running (draining, or until the drain timeout kills ${n === 1 ? 'it' : 'them'})`;

/** Instances that failed and wait out their backoff before being started again (as a pod whose container restarts). */
export const awaitingRestart = (f: RevisionFacts): number => Math.min(f.crashed, Math.max(0, f.desired - f.total));

/** Instances that should exist: the wanted ones, or more while extra ones are being stopped. */
const shouldExist = (f: RevisionFacts): number => Math.max(f.desired, f.total);

const noHttpPort = 'a worker has no HTTP port';

/** Why no instance is wanted, as true of the app's kind: only a web app's revision holds traffic. */
function noneWanted(f: RevisionFacts): string {
  switch (f.workload) {
    case 'cron':
      if (f.appStopped) return 'no run starts: the cron app is scaled to zero';
      return f.serving ? 'no instance runs between runs: a cron app starts one per tick of its schedule' : 'no run starts: the cron app runs another revision';
    case 'worker':
      if (f.appStopped) return `no instance runs: the worker is scaled to zero (${noHttpPort})`;
      return `no instance runs: the worker runs another revision and keeps no standby (${noHttpPort})`;
    case 'http':
      if (f.appStopped && f.serving) return 'no instance runs: the app is scaled to zero';
      return 'the revision holds no traffic and is not kept warm, so no instance runs';
  }
}

function available(f: RevisionFacts): Computed {
  const ok = f.ready > 0 && f.ready >= f.desired;
  if (f.desired === 0 && f.total === 0) {
    const message = f.stopping > 0 ? `no instance is wanted; ${stillStopping(f.stopping)}` : noneWanted(f);
    return { type: 'Available', status: 'False', reason: 'NoReplicasWanted', message };
  }
  const count = `${f.ready} of ${Math.max(f.desired, f.total)} instances ready`;
  return ok
    ? { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: f.workload === 'worker' ? `running, ${count}; ${noHttpPort}` : count }
    : { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: f.crash.lastReason ? `${count}; last failure: ${f.crash.lastReason}` : count };
}

function progressing(f: RevisionFacts): Computed {
  if (f.failure) return { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: f.failure };
  if (f.crashLooping) return { type: 'Progressing', status: 'False', reason: 'CrashLoopBackOff', message: f.crash.lastReason ?? 'instances keep failing' };
  if (f.total === f.desired && f.ready === f.desired && f.stopping === 0) {
    return { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `the revision has ${plural(f.ready, 'ready instance')}, as wanted` };
  }
  const starting = Math.max(0, f.desired - f.ready);
  return { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: starting > 0 ? `waiting for ${plural(starting, 'instance')} to become ready` : f.stopping > 0 ? `stopping instances no longer wanted: ${stillStopping(f.stopping)}` : 'stopping instances no longer wanted' };
}

function ready(f: RevisionFacts): Computed {
  const total = shouldExist(f);
  if (total > 0 && f.ready === total) return { type: 'Ready', status: 'True', reason: 'InstancesReady', message: `${plural(f.ready, 'instance')} ready` };
  const why = f.crash.lastReason ? `; last failure: ${f.crash.lastReason}` : '';
  const restarting = awaitingRestart(f);
  if (restarting > 0) {
    const which = restarting === 1 ? '1 instance crashed and waits' : `${restarting} instances crashed and wait`;
    return { type: 'Ready', status: 'False', reason: 'InstancesRestarting', message: `${f.ready} of ${total} instances ready: ${which} to be restarted${why}` };
  }
  if (total === 0 && f.stopping > 0) return { type: 'Ready', status: 'False', reason: 'InstancesStopping', message: `no instance is ready: ${stillStopping(f.stopping)}${why}` };
  return total === 0
    ? { type: 'Ready', status: 'False', reason: 'NoInstances', message: `no instance is running${why}` }
    : { type: 'Ready', status: 'False', reason: 'InstancesNotReady', message: `${total - f.ready} of ${total} instances not ready yet${why}` };
}

const isOom = (reason: string | null) => reason?.startsWith('OOMKilled') ?? false;

/** The conditions now, without times. CrashLoop and OOMKilled appear once they have been True. */
export function revisionConditions(f: RevisionFacts, seen: (type: RuntimeConditionType) => boolean): Computed[] {
  const conditions = [available(f), progressing(f), ready(f)];
  if (f.crashLooping) conditions.push({ type: 'CrashLoop', status: 'True', reason: 'CrashLoopBackOff', message: f.crash.lastReason });
  else if (seen('CrashLoop')) conditions.push({ type: 'CrashLoop', status: 'False', reason: 'Recovered', message: 'instances no longer fail repeatedly' });
  const oom = isOom(f.crash.lastReason) && f.recentFailure;
  if (oom) conditions.push({ type: 'OOMKilled', status: 'True', reason: 'OOMKilled', message: f.crash.lastReason });
  else if (seen('OOMKilled')) conditions.push({ type: 'OOMKilled', status: 'False', reason: 'NoRecentOOMKill', message: 'no instance was killed for its memory recently' });
  return conditions;
}

export function revisionPhase(f: RevisionFacts): RuntimePhase {
  if (f.crashLooping) return 'CrashLoopBackOff';
  if (f.total === 0) {
    if (f.failure) return 'Failed';
    if (f.desired > 0) return 'Pending';
    // As a pod that is Terminating: told to stop, its process still runs.
    if (f.stopping > 0) return 'Stopping';
    return f.crash.lastReason ? 'Failed' : 'Stopped';
  }
  return f.ready > 0 ? 'Running' : 'Pending';
}

export type ConditionHistory = Map<RuntimeConditionType, { status: 'True' | 'False'; at: string }>;

/** Gives each condition the time its status last flipped, recording flips in `history`. */
export function stampConditions(history: ConditionHistory, computed: readonly Computed[], at: string): RuntimeCondition[] {
  return computed.map((c) => {
    const before = history.get(c.type);
    const since = before && before.status === c.status ? before.at : at;
    history.set(c.type, { status: c.status, at: since });
    return { ...c, lastTransitionTime: since };
  });
}

export function revisionStatus(f: RevisionFacts, history: ConditionHistory, at: string): RevisionRuntimeStatus {
  const conditions = stampConditions(history, revisionConditions(f, (type) => history.has(type)), at);
  return { phase: revisionPhase(f), ready: f.ready, total: shouldExist(f), restarting: awaitingRestart(f), stopping: f.stopping, lastFailure: f.crash.lastReason, lastFailureAt: f.crash.lastFailureAt === null ? null : new Date(f.crash.lastFailureAt), restarts: f.crash.totalRestarts, conditions };
}
