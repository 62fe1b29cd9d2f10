// What the core needs from the telemetry layer (logs, metrics, health, alerts), and the
// repositories telemetry keeps in the store. The core reads through these; src/telemetry and
// src/store implement them. Types here are plain data: no HTTP, no SQL, no Prometheus.
import type { App } from '../../domain/app.js';

export const severities = ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'] as const;
export type Severity = (typeof severities)[number];

/** `platform` lines are written by Berth about the app (an instance exited, was OOM-killed). */
export type LogStream = 'stdout' | 'stderr' | 'platform';

export interface LogLine {
  appId: string;
  revisionName: string;
  instanceId: string;
  stream: LogStream;
  severity: Severity;
  timestamp: Date;
  message: string;
}

/** A stored line: `seq` is unique and grows in arrival order; (timestamp, seq) orders the log. */
export interface StoredLogLine extends LogLine {
  seq: number;
}

/** Where a page ends: the next page holds lines strictly older than this position. */
export interface LogCursor {
  timestampMs: number;
  seq: number;
}

export interface LogQuery {
  appId: string;
  limit: number;
  severity: Severity | null;
  /** Inclusive. */
  startTime: Date | null;
  /** Exclusive. */
  endTime: Date | null;
  after: LogCursor | null;
}

export interface LogPage {
  lines: StoredLogLine[];
  /** Null on the last page. */
  next: LogCursor | null;
}

/** What the store still holds of an app's log after a position (see `LogRepository.linesAfter`). */
export interface LogsAfter {
  /** The newest (or oldest) of the lines after the position, oldest first. */
  lines: StoredLogLine[];
  /** How many lines after the position are stored (`lines` may hold fewer). */
  total: number;
  /** Whether the line at the position itself is still stored (if not, older lines may be pruned). */
  holdsPosition: boolean;
  /** How many lines after the position were pruned: 0 when it is still stored, null when the store cannot tell. */
  pruned: number | null;
}

export interface LogUsage {
  appId: string;
  lines: number;
  /** Approximate: message characters plus a fixed overhead per line. */
  bytes: number;
}

export interface LogRepository {
  /** Next free sequence number (one past the largest stored). */
  nextSeq(): Promise<number>;
  /** Stores the lines and adds their sizes to each app's usage, in one transaction. */
  append(lines: readonly StoredLogLine[]): Promise<void>;
  query(query: LogQuery): Promise<LogPage>;
  /** The app's lines with `seq` above `afterSeq`, in arrival (seq) order: the newest or the oldest `limit`. */
  linesAfter(appId: string, afterSeq: number, limit: number, keep: 'newest' | 'oldest'): Promise<LogsAfter>;
  usage(): Promise<LogUsage[]>;
  /** Deletes up to `max` of the app's oldest lines older than `before`; returns how many. */
  deleteOlderThan(appId: string, before: Date, max: number): Promise<number>;
  /** Deletes up to `max` of the app's oldest lines, whatever their age; returns how many. */
  deleteOldest(appId: string, max: number): Promise<number>;
  /** Apps that have logs but no longer exist in the store at all (purged). */
  orphanedApps(): Promise<string[]>;
  /** Drops the usage record (and the record of pruned positions) of an app whose lines are all gone. */
  forgetApp(appId: string): Promise<void>;
}

export const alertTypes = ['high_cpu', 'high_memory', 'high_error_rate', 'high_latency', 'crash_loop', 'build_failed', 'deploy_failed', 'cert_expiring', 'cert_failed'] as const;
export type AlertType = (typeof alertTypes)[number];
export type AlertSeverity = 'warning' | 'critical';

export interface Alert {
  id: string;
  workspaceId: string;
  appId: string;
  appName: string;
  type: AlertType;
  severity: AlertSeverity;
  message: string;
  triggeredAt: Date;
  resolvedAt: Date | null;
  /** `auto` when the condition cleared, `user` when resolved through the API. */
  resolvedBy: 'auto' | 'user' | null;
}

export interface AlertListQuery {
  workspaceId: string;
  appId: string | null;
  resolved: boolean | null;
  limit: number;
}

export interface AlertRepository {
  /** Opens the alert unless one of the same app and type is open; returns it only when it was opened. */
  open(alert: Omit<Alert, 'resolvedAt' | 'resolvedBy' | 'appName'>): Promise<Alert | null>;
  openAlerts(): Promise<Alert[]>;
  byId(workspaceId: string, alertId: string): Promise<Alert | null>;
  /** Resolves an open alert; null when it was not open. */
  resolve(alertId: string, at: Date, by: 'auto' | 'user'): Promise<Alert | null>;
  list(query: AlertListQuery): Promise<Alert[]>;
  recent(workspaceId: string, limit: number): Promise<Alert[]>;
}

/** One stored roll-up bucket of an app's samples. */
export interface MetricBucket {
  appId: string;
  /** Seconds per bucket: 60 or 3600. */
  resolutionS: number;
  start: Date;
  samples: number;
  cpuSum: number;
  cpuMax: number;
  memorySum: number;
  memoryMax: number;
  instancesSum: number;
  instancesMax: number;
  requests: number;
  errors: number;
  latencySumMs: number;
  latencyMaxMs: number;
}

export interface MetricRepository {
  /** Adds the increment to the bucket (sums add up, maxima take the larger). */
  add(buckets: readonly MetricBucket[]): Promise<void>;
  range(appId: string, resolutionS: number, from: Date, to: Date): Promise<MetricBucket[]>;
  deleteBefore(resolutionS: number, before: Date): Promise<number>;
}

export interface DeployActivity {
  appId: string;
  appName: string;
  status: string;
  timestamp: Date;
}

export interface DeployStats {
  total: number;
  today: number;
  failedBuildsToday: number;
}

export interface ActivityRepository {
  deployStats(workspaceId: string, since: Date): Promise<DeployStats>;
  recentDeploys(workspaceId: string, limit: number): Promise<DeployActivity[]>;
  /** Deployments that ended in failure after `since`, for the build/deploy alerts. */
  failedSince(since: Date): Promise<{ id: string; appId: string; workspaceId: string; failedBuild: boolean; error: string | null; finishedAt: Date }[]>;
  /** Deployments that succeeded after `since` (they resolve build/deploy alerts). */
  succeededSince(since: Date): Promise<{ appId: string; finishedAt: Date }[]>;
}

export type MetricsPeriod = '1h' | '6h' | '24h' | '7d' | '30d';
export const metricsPeriods: readonly MetricsPeriod[] = ['1h', '6h', '24h', '7d', '30d'];

export interface MetricSeries {
  labels: Date[];
  values: number[];
  unit: string;
  current: number;
  avg: number;
  max: number;
}

export interface AppMetrics {
  /** Where the series came from: Berth's own store, or Prometheus (BERTH_PROMETHEUS_URL). */
  source: 'store' | 'prometheus';
  cpu: MetricSeries;
  memory: MetricSeries;
  requestCount: MetricSeries;
  requestLatency: MetricSeries;
  errorRate: MetricSeries;
  instanceCount: MetricSeries;
}

export type HealthStatus = 'healthy' | 'degraded' | 'unhealthy' | 'unknown';

export interface AppHealth {
  appId: string;
  status: HealthStatus;
  /** Why, for people (not on the 004 wire). */
  reasons: string[];
  uptimeS: number;
  lastDeployedAt: Date | null;
  /** Running replicas: instances of the revisions that hold traffic. */
  instanceCount: number;
  /** Instances kept warm besides (recently served or tagged revisions): not replicas. */
  warmInstances: number;
  /** Percent of requests answered 5xx over the health window. */
  errorRate: number;
  avgLatencyMs: number;
  /** Requests the error rate and latency are of (too few, and they do not count towards the status). */
  requestCount: number;
  lastCheckedAt: Date;
}

export interface LiveLogLine {
  /** The line's place in the stored log (a stream's event id); null when it could not be stored. */
  seq: number | null;
  timestamp: Date;
  severity: Severity;
  message: string;
  instanceId: string;
  revisionName: string;
  stream: LogStream;
}

/**
 * What a live subscriber is told: lines in small batches, the end (the app was deleted), and how
 * many lines it missed when it fell too far behind (told before the lines that follow them).
 */
export interface LogTailListener {
  onLines(lines: readonly LiveLogLine[]): void;
  onEnd(reason: string): void;
  /** `null`: an unknown number (the lines were pruned from the stored log before they could be resent). */
  onSkipped?(count: number | null): void;
}

/** A live subscription; `close` stops it. */
export interface LogTail {
  close(): void;
}

export interface Exposition {
  contentType: string;
  body: string;
}

/** Who scrapes `/metrics`: a stranger (Berth's process only), the operator (all), or one workspace. */
export type ExpositionScope = { kind: 'process' } | { kind: 'all' } | { kind: 'workspace'; workspaceId: string };

export interface Telemetry {
  tailLogs(appId: string, listener: LogTailListener): LogTail;
  /** The app's lines received but not yet in the store, oldest first (what a resumed stream reads besides the store). */
  unstoredLogs(appId: string): StoredLogLine[];
  appMetrics(appId: string, period: MetricsPeriod): Promise<AppMetrics>;
  /** Each app's health status now, as `appHealthNow` would answer it, computed for them all at once (the overview's counts). */
  healthStatusesNow(apps: readonly App[]): Promise<ReadonlyMap<string, HealthStatus>>;
  /** The app's health computed now: its instances and failures as they are, its traffic up to this moment. */
  appHealthNow(app: App): Promise<AppHealth>;
  /** Prometheus text format of Berth's own series, plus the apps' series the scope may see. */
  exposition(scope: ExpositionScope): Promise<Exposition>;
  /** A new or resolved alert happened outside the rules (a user resolved it): tell the webhook. */
  alertResolved(alert: Alert): void;
}

export interface TelemetrySettings {
  priceVcpuHour: number;
  priceGibHour: number;
  /** When set, `/metrics` with `Authorization: Bearer <token>` shows every app's series. */
  metricsToken: string | null;
  /** Comment lines on idle log streams, so proxies keep them open. */
  sseHeartbeatMs: number;
}
