// Desired counts vs observed instances → which to start and which to stop (pure). Stopping
// prefers instances that are not ready yet, then the youngest, so serving capacity is kept.

export interface ObservedInstance {
  instanceId: string;
  revisionId: string;
  ready: boolean;
  startedAt: number;
}

export interface InstancePlan {
  start: { revisionId: string; count: number }[];
  stop: string[];
}

export function planInstances(
  desired: ReadonlyMap<string, number>,
  observed: readonly ObservedInstance[],
): InstancePlan {
  const byRevision = new Map<string, ObservedInstance[]>();
  for (const instance of observed) {
    const list = byRevision.get(instance.revisionId) ?? [];
    list.push(instance);
    byRevision.set(instance.revisionId, list);
  }
  const plan: InstancePlan = { start: [], stop: [] };
  for (const [revisionId, count] of desired) {
    const have = byRevision.get(revisionId)?.length ?? 0;
    if (have < count) plan.start.push({ revisionId, count: count - have });
  }
  for (const [revisionId, instances] of byRevision) {
    const extra = instances.length - (desired.get(revisionId) ?? 0);
    if (extra <= 0) continue;
    const order = [...instances].sort((a, b) => Number(a.ready) - Number(b.ready) || b.startedAt - a.startedAt);
    plan.stop.push(...order.slice(0, extra).map((i) => i.instanceId));
  }
  return plan;
}
