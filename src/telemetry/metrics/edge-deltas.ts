// The edge counts requests cumulatively since it started; samples need what happened between two
// snapshots. A counter that went backwards (the edge restarted) counts from zero again.
import type { EdgeStatsSnapshot, EdgeTrafficCounters } from '../../core/ports/route-table.js';

export interface TrafficDelta {
  requests: number;
  errors: number;
  latencySumMs: number;
  latencyCounts: number[];
}

export const noTraffic = (buckets: number): TrafficDelta => ({ requests: 0, errors: 0, latencySumMs: 0, latencyCounts: new Array<number>(buckets).fill(0) });

function delta(now: EdgeTrafficCounters, before: EdgeTrafficCounters | undefined): TrafficDelta {
  const base = before && before.requests <= now.requests ? before : undefined;
  return {
    requests: now.requests - (base?.requests ?? 0),
    errors: now.statusClasses['5xx'] - (base?.statusClasses['5xx'] ?? 0),
    latencySumMs: now.latency.sumMs - (base?.latency.sumMs ?? 0),
    latencyCounts: now.latency.counts.map((c, i) => c - (base?.latency.counts[i] ?? 0)),
  };
}

/** Per app id: the traffic between `before` (null: none yet) and `now`. */
export function edgeDeltas(now: EdgeStatsSnapshot, before: EdgeStatsSnapshot | null): Map<string, TrafficDelta> {
  const previous = new Map((before?.apps ?? []).map((a) => [a.appId, a]));
  return new Map(now.apps.map((app) => [app.appId, delta(app, previous.get(app.appId))]));
}
