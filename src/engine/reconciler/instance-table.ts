// The reconciler's record of the instances it started: which revision, whether ready, whether
// being stopped. The runtime driver is the truth for processes; this is what Berth decided.
import type { Endpoint } from '../../core/ports/route-table.js';

export interface TrackedInstance {
  instanceId: string;
  appId: string;
  revisionId: string;
  revisionName: string;
  startedAt: number;
  ready: boolean;
  readyAt: number | null;
  /** Removed from routing; will be (or is being) stopped. */
  stopping: boolean;
  address: Endpoint | null;
  /** The revision's memory limit, named when the instance is OOM-killed. */
  memoryLimitMi: number;
  /** Failed instances replaced on the way to this one (a pod's restart count). */
  restarts: number;
}

export class InstanceTable {
  private readonly byId = new Map<string, TrackedInstance>();

  add(instance: TrackedInstance): void {
    this.byId.set(instance.instanceId, instance);
  }

  get(instanceId: string): TrackedInstance | undefined {
    return this.byId.get(instanceId);
  }

  remove(instanceId: string): TrackedInstance | undefined {
    const found = this.byId.get(instanceId);
    this.byId.delete(instanceId);
    return found;
  }

  all(): TrackedInstance[] {
    return [...this.byId.values()];
  }

  /** Instances that count towards a revision's replicas (not being stopped). */
  live(): TrackedInstance[] {
    return this.all().filter((i) => !i.stopping);
  }

  ofRevision(revisionId: string): TrackedInstance[] {
    return this.live().filter((i) => i.revisionId === revisionId);
  }

  ofApp(appId: string): TrackedInstance[] {
    return this.live().filter((i) => i.appId === appId);
  }

  /** Ready endpoints of a revision: what the edge may route to. */
  endpoints(revisionId: string): Endpoint[] {
    return this.ofRevision(revisionId)
      .filter((i) => i.ready && i.address !== null)
      .map((i) => i.address as Endpoint);
  }
}
