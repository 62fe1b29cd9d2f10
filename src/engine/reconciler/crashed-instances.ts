// Instances that crashed and wait out their backoff, per revision, oldest first: the next start of
// the revision takes the place of the first (its restart count goes on from there), and until
// then each is still one of the revision's instances, listed under its old name as a pod whose
// container restarts keeps its own.
import type { InstanceReport } from '../../core/ports/orchestrator.js';

export interface CrashedInstance {
  instanceId: string;
  appId: string;
  revisionId: string;
  revisionName: string;
  restarts: number;
  startedAt: number;
  reason: string;
}

export class CrashedInstances {
  private readonly byRevision = new Map<string, CrashedInstance[]>();

  add(crashed: CrashedInstance): void {
    this.byRevision.set(crashed.revisionId, [...(this.byRevision.get(crashed.revisionId) ?? []), crashed]);
  }

  /** The crashed instance a new one of the revision replaces, if one waits. */
  take(revisionId: string): CrashedInstance | undefined {
    const waiting = this.byRevision.get(revisionId);
    const first = waiting?.shift();
    if (waiting?.length === 0) this.byRevision.delete(revisionId);
    return first;
  }

  /** Crashed instances of the revision not replaced yet (one whose replacement is being started still counts). */
  count(revisionId: string): number {
    return this.byRevision.get(revisionId)?.length ?? 0;
  }

  /** The revision starts afresh (its failure history is forgotten): nothing it starts is a restart. */
  forget(revisionId: string): void {
    this.byRevision.delete(revisionId);
  }

  /** The app's instances waiting for their restart: of each revision, the first `restarting(revisionId)`. */
  reports(appId: string, restarting: (revisionId: string) => number, serving: ReadonlySet<string>, node: string): InstanceReport[] {
    const reports: InstanceReport[] = [];
    for (const [revisionId, waiting] of this.byRevision) {
      if (waiting[0]?.appId !== appId) continue;
      for (const c of waiting.slice(0, restarting(revisionId))) {
        reports.push({
          instanceId: c.instanceId,
          revisionId,
          revisionName: c.revisionName,
          phase: 'restarting',
          ready: false,
          serving: serving.has(revisionId),
          restarts: c.restarts,
          startedAt: new Date(c.startedAt),
          node,
          failure: c.reason,
        });
      }
    }
    return reports;
  }
}
