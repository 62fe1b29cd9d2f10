// The runtime's instances that have not exited, grouped by app: what one telemetry round reads.
import type { InstanceStatus, Runtime } from '../core/ports/runtime.js';

export function liveInstancesByApp(runtime: Pick<Runtime, 'list'>): Map<string, InstanceStatus[]> {
  const byApp = new Map<string, InstanceStatus[]>();
  for (const status of runtime.list()) {
    if (status.phase === 'exited') continue;
    const list = byApp.get(status.appId);
    if (list) list.push(status);
    else byApp.set(status.appId, [status]);
  }
  return byApp;
}
