// Per-app and per-revision traffic counters for the monitoring layer: plain numbers updated in
// place on the hot path (no allocation per request), copied into a snapshot only when asked.
import type { EdgeAppStats, EdgeStatsSnapshot, EdgeTrafficCounters } from '../core/ports/route-table.js';

/** Fixed histogram bounds in milliseconds; changing them breaks comparisons across versions. */
export const latencyBoundsMs: readonly number[] = Object.freeze([
  1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000,
]);

export class TrafficCounters {
  requests = 0;
  sumMs = 0;
  /** 1xx, 2xx, 3xx, 4xx, 5xx. */
  readonly classes: number[] = [0, 0, 0, 0, 0];
  readonly buckets: number[] = new Array<number>(latencyBoundsMs.length + 1).fill(0);

  record(status: number, ms: number): void {
    this.requests++;
    this.sumMs += ms;
    const cls = status < 200 ? 0 : status >= 500 ? 4 : ((status / 100) | 0) - 1;
    this.classes[cls] = (this.classes[cls] ?? 0) + 1;
    let b = 0;
    while (b < latencyBoundsMs.length && ms > (latencyBoundsMs[b] ?? Infinity)) b++;
    this.buckets[b] = (this.buckets[b] ?? 0) + 1;
  }

  snapshot(): EdgeTrafficCounters {
    const [c1 = 0, c2 = 0, c3 = 0, c4 = 0, c5 = 0] = this.classes;
    return {
      requests: this.requests,
      statusClasses: { '1xx': c1, '2xx': c2, '3xx': c3, '4xx': c4, '5xx': c5 },
      latency: { boundsMs: latencyBoundsMs, counts: [...this.buckets], sumMs: this.sumMs },
    };
  }
}

/**
 * One app's counters: the app total plus one set per revision that served it. Requests the edge
 * answered itself because no instance could take them (scaled to zero, not deployed yet) are
 * counted apart: they are the edge's figures, not the app's errors.
 */
export class AppCounters {
  readonly total = new TrafficCounters();
  unserved = 0;
  /** performance.now() of the newest request or upgrade for this app, or of its last tunnel's close; 0: none yet. */
  lastSeenMs = 0;
  /** WebSocket tunnels open now: a browser tab with a hot-reload socket is someone looking. */
  openTunnels = 0;
  readonly revisions = new Map<string, TrafficCounters>();

  constructor(
    readonly appId: string,
    public slug: string,
  ) {}

  revision(revisionName: string): TrafficCounters {
    let counters = this.revisions.get(revisionName);
    if (counters === undefined) {
      counters = new TrafficCounters();
      this.revisions.set(revisionName, counters);
    }
    return counters;
  }
}

/** All counters since the edge started, by app id; kept across route-table swaps. */
export class EdgeStats {
  unmatched = 0;
  private readonly apps = new Map<string, AppCounters>();

  app(appId: string, slug: string): AppCounters {
    let counters = this.apps.get(appId);
    if (counters === undefined) {
      counters = new AppCounters(appId, slug);
      this.apps.set(appId, counters);
    }
    counters.slug = slug;
    return counters;
  }

  /** Milliseconds since each app (by route appId) last saw traffic; 0 while a tunnel is open. Apps never seen are absent. */
  idleTimes(nowMs: number): Map<string, number> {
    const idle = new Map<string, number>();
    for (const app of this.apps.values()) {
      if (app.openTunnels > 0) idle.set(app.appId, 0);
      else if (app.lastSeenMs > 0) idle.set(app.appId, Math.max(0, nowMs - app.lastSeenMs));
    }
    return idle;
  }

  snapshot(routeTableVersion: number, openTunnels: number, takenAt: Date): EdgeStatsSnapshot {
    const apps: EdgeAppStats[] = [];
    for (const app of this.apps.values()) {
      const revisions = [...app.revisions].map(([revisionName, counters]) => ({
        revisionName,
        ...counters.snapshot(),
      }));
      apps.push({ appId: app.appId, slug: app.slug, ...app.total.snapshot(), unserved: app.unserved, revisions });
    }
    return { takenAt, routeTableVersion, unmatched: this.unmatched, openTunnels, apps };
  }
}

function addCounters<T extends EdgeTrafficCounters>(into: T, from: EdgeTrafficCounters): T {
  const classes = { ...into.statusClasses };
  for (const key of Object.keys(classes) as (keyof typeof classes)[]) classes[key] += from.statusClasses[key];
  return {
    ...into,
    requests: into.requests + from.requests,
    statusClasses: classes,
    latency: {
      boundsMs: into.latency.boundsMs,
      counts: into.latency.counts.map((n, i) => n + (from.latency.counts[i] ?? 0)),
      sumMs: into.latency.sumMs + from.latency.sumMs,
    },
  };
}

/** Adds snapshots taken in several processes (edge workers) into one, app by app and revision by revision. */
export function sumSnapshots(
  snapshots: readonly EdgeStatsSnapshot[],
  routeTableVersion: number,
  takenAt: Date,
): EdgeStatsSnapshot {
  const apps = new Map<string, EdgeAppStats>();
  let unmatched = 0;
  let openTunnels = 0;
  for (const snapshot of snapshots) {
    unmatched += snapshot.unmatched;
    openTunnels += snapshot.openTunnels;
    for (const app of snapshot.apps) {
      const earlier = apps.get(app.appId);
      if (earlier === undefined) {
        apps.set(app.appId, app);
        continue;
      }
      const revisions = new Map(earlier.revisions.map((r) => [r.revisionName, r]));
      for (const revision of app.revisions) {
        const seen = revisions.get(revision.revisionName);
        revisions.set(revision.revisionName, seen === undefined ? revision : addCounters(seen, revision));
      }
      apps.set(app.appId, { ...addCounters(earlier, app), slug: app.slug, revisions: [...revisions.values()] });
    }
  }
  return { takenAt, routeTableVersion, unmatched, openTunnels, apps: [...apps.values()] };
}

/** Idle times seen by several processes (edge workers) into one: an app is as idle as its busiest worker says. */
export function leastIdle(maps: readonly ReadonlyMap<string, number>[]): Map<string, number> {
  const idle = new Map<string, number>();
  for (const map of maps) {
    for (const [appId, ms] of map) idle.set(appId, Math.min(ms, idle.get(appId) ?? Infinity));
  }
  return idle;
}
