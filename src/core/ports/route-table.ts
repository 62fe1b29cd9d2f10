// The edge's only input: derived from apps, revisions, traffic, domains, visibility and shares,
// built by the core and swapped into the edge atomically.

export interface Endpoint {
  host: string;
  port: number;
}

export interface RouteTarget {
  revisionName: string;
  /** 0..100; the targets of one app sum to 100. */
  percent: number;
  tag: string | null;
  /** Ready instances of this revision. Empty: the edge answers 503. */
  endpoints: readonly Endpoint[];
}

export interface RouteShare {
  /** sha256 hex of the share token; the edge hashes what it receives. */
  tokenHash: string;
  expiresAt: Date | null;
  requireAuth: boolean;
}

export interface AppRoute {
  appId: string;
  workspaceId: string;
  slug: string;
  visibility: 'public' | 'private';
  targets: readonly RouteTarget[];
  shares: readonly RouteShare[];
  /** Scaled to zero by its owner: the edge says the app is stopped instead of "try again". */
  stopped?: boolean;
  /** Keep a browser on the instance that answered it first (a cookie naming the endpoint). */
  sessionAffinity?: boolean;
  /** The app runs no HTTP server (a worker, or a cron app): the edge says so instead of "try again". */
  noHttp?: 'worker' | 'cron';
}

export interface RouteTable {
  /** Bumped on every rebuild; lets the edge reset split counters only when splits change. */
  version: number;
  /** By slug. */
  apps: ReadonlyMap<string, AppRoute>;
  /** Verified custom domain (lower-case hostname) → slug. */
  domains: ReadonlyMap<string, string>;
}

/** Resolves an API key to its workspace, for private apps. Null when invalid, expired or deleted. */
export type KeyWorkspaceResolver = (plainKey: string) => Promise<string | null>;

/** Where the core pushes each rebuilt table. The edge swaps it in atomically and keeps serving the last one. */
export interface RouteTableSink {
  setRoutes(table: RouteTable): void;
}

/** Request counts per status class; `1xx` counts WebSocket upgrades (101). */
export interface EdgeStatusClasses {
  '1xx': number;
  '2xx': number;
  '3xx': number;
  '4xx': number;
  '5xx': number;
}

/**
 * Latency from the request's arrival at the edge to the end of its response.
 * `counts[i]` holds requests with `boundsMs[i-1] < latency <= boundsMs[i]` (not cumulative);
 * the last entry (`counts.length === boundsMs.length + 1`) holds those slower than every bound.
 */
export interface EdgeLatencyHistogram {
  boundsMs: readonly number[];
  counts: readonly number[];
  sumMs: number;
}

/** Cumulative since the edge started; the monitoring layer takes differences between snapshots. */
export interface EdgeTrafficCounters {
  requests: number;
  statusClasses: EdgeStatusClasses;
  latency: EdgeLatencyHistogram;
}

export interface EdgeRevisionStats extends EdgeTrafficCounters {
  revisionName: string;
}

/**
 * An app's counters include the requests answered by the edge itself on the app's behalf (401,
 * 302) and those of each revision; requests no instance could take are only in `unserved`.
 */
export interface EdgeAppStats extends EdgeTrafficCounters {
  appId: string;
  slug: string;
  /** Answered 503 by the edge because the app had no instance to take them (stopped, not deployed). */
  unserved: number;
  revisions: readonly EdgeRevisionStats[];
}

export interface EdgeStatsSnapshot {
  takenAt: Date;
  /** Version of the route table being served; -1 before the first one. */
  routeTableVersion: number;
  /** Requests whose host matched no app (answered 404). */
  unmatched: number;
  /** WebSocket tunnels open right now. */
  openTunnels: number;
  apps: readonly EdgeAppStats[];
}

/** What the monitoring layer reads (asynchronous: edge workers are asked for theirs). */
export interface EdgeStatsSource {
  stats(): Promise<EdgeStatsSnapshot>;
}
