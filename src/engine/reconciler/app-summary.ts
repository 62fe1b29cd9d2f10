// An app's runtime figures as every count of Berth makes them: replicas are the instances of
// the revisions that hold traffic (their usage summed), warm standbys are counted apart; the
// total counts the replicas that should exist, so a crashed one waiting for its restart is 0 of 1 ready.
import type { AppRuntimeSummary } from '../../core/ports/orchestrator.js';
import type { InstanceUsage } from '../../core/ports/runtime.js';
import { isServing } from '../../domain/revision.js';
import type { TrafficSplit } from '../../domain/revision.js';
import type { TrackedInstance } from './instance-table.js';

export async function appSummary(input: {
  splits: readonly TrafficSplit[];
  /** The app's live instances (not being stopped). */
  instances: readonly TrackedInstance[];
  /** The app's instances being stopped, whose process has not exited yet. */
  stopping: number;
  /** Replicas per serving revision; null: the app is gone. */
  replicasPerRevision: number | null;
  /** Instances the reconciler wants of a revision now (a crashed one waiting for its restart is still wanted). */
  desired: (revisionId: string) => number;
  usage: (instanceId: string) => Promise<InstanceUsage | null>;
}): Promise<AppRuntimeSummary> {
  const serving = new Set(input.splits.filter(isServing).map((s) => s.revisionId));
  const replicas = input.instances.filter((i) => serving.has(i.revisionId));
  const ready = replicas.filter((i) => i.ready);
  const known = (await Promise.all(ready.map((i) => input.usage(i.instanceId)))).filter((u) => u !== null);
  return {
    desiredReplicas: input.replicasPerRevision === null ? 0 : input.replicasPerRevision * serving.size,
    readyReplicas: ready.length,
    // Like a Deployment's replicas: an instance that crashed and waits for its restart still counts.
    totalReplicas: [...serving].reduce((sum, id) => sum + Math.max(input.desired(id), replicas.filter((i) => i.revisionId === id).length), 0),
    warmInstances: input.instances.length - replicas.length,
    stoppingInstances: input.stopping,
    cpuUsageMillicores: known.length ? Math.round(known.reduce((s, u) => s + u.cpuPercent * 10, 0)) : null,
    memoryUsageMi: known.length ? Math.round(known.reduce((s, u) => s + u.memoryMi, 0)) : null,
  };
}
