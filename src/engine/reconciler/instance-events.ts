// What the reconciler tells as events, in the words Kubernetes uses for pods: placed on a node
// (Scheduled), Started, Ready, Unhealthy (never ready), OOMKilled, BackOff (exited on its own,
// to be started again), Killing (stopped by Berth, and why), Failed (could not even start: its
// image could not be pulled, say). Messages avoid times and counters,
// so repeats fold into one event.
import type { EventSink } from '../../core/ports/events.js';

export function instanceEvents(sink: EventSink | undefined, node: string) {
  const instance = (name: string) => ({ kind: 'Instance' as const, name });
  const tell: EventSink['record'] = (event) => sink?.record(event);
  return {
    started(appId: string, instanceId: string, revisionName: string) {
      tell({ appId, type: 'Normal', reason: 'Scheduled', message: `Assigned ${instanceId} to ${node}`, object: instance(instanceId) });
      tell({ appId, type: 'Normal', reason: 'Started', message: `Started an instance of ${revisionName}`, object: instance(instanceId) });
    },
    /** `listens`: the instance serves HTTP (web, api); a worker's passed no probe but stayed up, and takes no traffic. */
    ready(appId: string, instanceId: string, revisionName: string, listens: boolean) {
      const message = listens
        ? `Readiness probe passed: ${instanceId} of ${revisionName} receives traffic when its revision does`
        : `${instanceId} of ${revisionName} kept running through its start-up wait, so it counts as ready (a worker takes no HTTP traffic)`;
      tell({ appId, type: 'Normal', reason: 'Ready', message, object: instance(instanceId) });
    },
    unhealthy(appId: string, instanceId: string, reason: string) {
      tell({ appId, type: 'Warning', reason: 'Unhealthy', message: `Readiness probe failed: ${reason}`, object: instance(instanceId) });
    },
    exited(appId: string, instanceId: string, revisionName: string, oomKilled: boolean, reason: string) {
      if (oomKilled) tell({ appId, type: 'Warning', reason: 'OOMKilled', message: reason, object: instance(instanceId) });
      tell({ appId, type: 'Warning', reason: 'BackOff', message: `Back-off restarting failed instances of ${revisionName}: ${reason}`, object: { kind: 'Revision', name: revisionName } });
    },
    failed(appId: string, revisionName: string, reason: string) {
      tell({ appId, type: 'Warning', reason: 'Failed', message: `Failed to start an instance of ${revisionName}: ${reason}`, object: { kind: 'Revision', name: revisionName } });
    },
    killing(appId: string, instanceId: string, why: string) {
      tell({ appId, type: 'Normal', reason: 'Killing', message: `Stopping ${instanceId}: ${why}`, object: instance(instanceId) });
    },
  };
}
