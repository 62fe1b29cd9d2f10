// How an instance the reconciler tracks is listed to clients (pods, instances, status): its phase
// from what it is doing now, ready only while it is not being stopped.
import type { InstanceReport } from '../../core/ports/orchestrator.js';
import type { TrackedInstance } from './instance-table.js';

export function trackedReport(i: TrackedInstance, serving: boolean, node: string): InstanceReport {
  return {
    instanceId: i.instanceId,
    revisionId: i.revisionId,
    revisionName: i.revisionName,
    phase: i.stopping ? 'stopping' : i.ready ? 'running' : 'starting',
    ready: i.ready && !i.stopping,
    serving,
    restarts: i.restarts,
    startedAt: new Date(i.startedAt),
    node,
    failure: null,
  };
}
