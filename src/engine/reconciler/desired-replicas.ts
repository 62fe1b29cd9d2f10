// How many instances each revision should have, from the desired state alone (pure):
// revisions holding traffic get the app's replicas, tagged 0 % revisions one (their tagged URL
// must answer), and the latest revisions that served recently one (warm, so rollback takes
// milliseconds): at most `warmRevisions` of them per app, or ten deploys in a quarter of an hour
// would keep ten old instances running.
// A worker has no URL and no idle standby: only the revisions holding its traffic run.
import { requestedReplicas } from '../../domain/app.js';
import type { App } from '../../domain/app.js';
import type { Revision, TrafficSplit } from '../../domain/revision.js';

export interface DesiredInput {
  apps: readonly App[];
  traffic: ReadonlyMap<string, readonly TrafficSplit[]>;
  revisions: ReadonlyMap<string, Revision>;
  /** Replica counts chosen by the autoscaler, by app id. */
  autoscaled: ReadonlyMap<string, number>;
  /** Revisions the core asked to warm (before moving traffic), with their replica counts. */
  warming: ReadonlyMap<string, number>;
  now: Date;
  warmWindowMs: number;
  /** How many of an app's recently served revisions stay warm (the latest served first). */
  warmRevisions: number;
}

/** The replicas an app runs per serving revision (0: stopped). */
export function appReplicas(app: App, autoscaled: ReadonlyMap<string, number>): number {
  if (app.replicas === 0) return 0;
  const base = requestedReplicas(app);
  if (app.maxReplicas <= app.minReplicas) return base;
  return Math.min(app.maxReplicas, Math.max(app.minReplicas, autoscaled.get(app.id) ?? base));
}

export function desiredReplicas(input: DesiredInput): Map<string, number> {
  const desired = new Map<string, number>();
  const want = (revisionId: string, count: number) =>
    desired.set(revisionId, Math.max(desired.get(revisionId) ?? 0, count));
  for (const app of input.apps) {
    if (app.type === 'cron') continue;
    const replicas = appReplicas(app, input.autoscaled);
    if (replicas === 0) continue;
    const splits = input.traffic.get(app.id) ?? [];
    for (const split of splits) {
      if (split.percent > 0) want(split.revisionId, replicas);
      else if (split.tag && app.type !== 'worker') want(split.revisionId, 1);
    }
    // A worker's standby would not stand by: it would take jobs with the old code.
    if (app.type === 'worker') continue;
    const serving = new Set(splits.map((s) => s.revisionId));
    const recent: { id: string; served: number }[] = [];
    for (const revision of input.revisions.values()) {
      if (revision.appId !== app.id || serving.has(revision.id) || revision.status === 'failed') continue;
      const served = revision.lastServedAt?.getTime();
      if (served !== undefined && input.now.getTime() - served < input.warmWindowMs) recent.push({ id: revision.id, served });
    }
    recent.sort((a, b) => b.served - a.served);
    for (const { id } of recent.slice(0, input.warmRevisions)) want(id, 1);
  }
  for (const [revisionId, count] of input.warming) want(revisionId, count);
  return desired;
}
