// The runtime's instances that have not exited, grouped by app and split the one way every
// count of Berth splits them: replicas are the instances of revisions that hold traffic; the
// rest (warm standbys of recently served revisions, tagged 0 % revisions) are counted apart.
import type { InstanceStatus, Runtime } from '../core/ports/runtime.js';
import { isServing } from '../domain/revision.js';
import type { TrafficSplit } from '../domain/revision.js';

export interface AppInstances {
  replicas: InstanceStatus[];
  warm: InstanceStatus[];
}

export async function liveInstancesByApp(
  runtime: Pick<Runtime, 'list'>,
  traffic: ReadonlyMap<string, readonly TrafficSplit[]>,
): Promise<Map<string, AppInstances>> {
  const byApp = new Map<string, AppInstances>();
  for (const status of await runtime.list()) {
    if (status.phase === 'exited') continue;
    const serving = (traffic.get(status.appId) ?? []).some((s) => isServing(s) && s.revisionName === status.revisionName);
    const entry = byApp.get(status.appId) ?? { replicas: [], warm: [] };
    (serving ? entry.replicas : entry.warm).push(status);
    byApp.set(status.appId, entry);
  }
  return byApp;
}
