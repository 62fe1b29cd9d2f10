// Wire shapes of the Monitoring API (spec 004): metrics, health, logs, overview and alerts.
import { Type } from '@sinclair/typebox';
import { severities } from '../../../core/ports/telemetry.js';
import { Nullable, Timestamp } from './common.js';

export const AlertParams = Type.Object({ wsId: Type.String({ maxLength: 200 }), alertId: Type.String({ maxLength: 200 }) });

export const MetricsQuery = Type.Object({
  period: Type.Optional(Type.Union(['1h', '6h', '24h', '7d', '30d'].map((p) => Type.Literal(p)), { default: '24h' })),
});

const Series = Type.Object({
  labels: Type.Array(Type.String()),
  values: Type.Array(Type.Number()),
  unit: Type.String(),
  current: Type.Number(),
  avg: Type.Number(),
  max: Type.Number(),
});

export const MetricsView = Type.Object({
  appId: Type.String(),
  serviceName: Type.String(),
  period: Type.String(),
  cpu: Series,
  memory: Series,
  requestCount: Series,
  requestLatency: Series,
  errorRate: Series,
  instanceCount: Series,
});

export const HealthView = Type.Object({
  appId: Type.String(),
  status: Type.Union(['healthy', 'degraded', 'unhealthy', 'unknown'].map((s) => Type.Literal(s))),
  uptime: Type.Integer({ description: 'Seconds the oldest running instance has been up' }),
  lastDeployedAt: Nullable(Timestamp),
  instanceCount: Type.Integer({ description: 'Running replicas (instances of the revisions that hold traffic)' }),
  warmInstances: Type.Integer({ description: 'Instances kept warm besides: recently served or tagged revisions' }),
  errorRate: Type.Number({ description: 'Percent of requests answered 5xx over the health window' }),
  avgLatencyMs: Type.Number(),
  requestCount: Type.Integer({ description: 'Requests over the health window that errorRate and avgLatencyMs are of; with fewer than 10 they do not count towards status (Berth)' }),
  lastCheckedAt: Type.String({ format: 'date-time', description: 'When this answer was computed: the time of the request (instances and traffic up to it)' }),
});

const SeverityName = Type.Union(severities.map((s) => Type.Literal(s)));

export const LogsQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  severity: Type.Optional(SeverityName),
  pageToken: Type.Optional(Type.String({ maxLength: 200 })),
  startTime: Type.Optional(Type.String({ format: 'date-time', description: 'Inclusive' })),
  endTime: Type.Optional(Type.String({ format: 'date-time', description: 'Exclusive' })),
});

export const LogEntryView = Type.Object({
  seq: Nullable(
    Type.Integer({ description: "Berth: the line's place in the log, and its event `id` on the stream: send it as `Last-Event-ID` to stream what follows it (null: a live line the log could not keep)" }),
  ),
  timestamp: Timestamp,
  severity: SeverityName,
  message: Type.String(),
  revisionName: Type.String({ description: 'The revision whose instance wrote the line (Berth: tells a canary from the stable revision)' }),
  instanceId: Type.String({ description: "The instance that wrote the line, or that Berth's line is about (its name starts with the revision's)" }),
});

export const LogsView = Type.Object({ logs: Type.Array(LogEntryView), nextPageToken: Nullable(Type.String()) });

export const StreamQuery = Type.Object({
  token: Type.Optional(Type.String({ maxLength: 300, description: 'API key, for EventSource clients that cannot send headers' })),
});

export const AlertsQuery = Type.Object({
  appId: Type.Optional(Type.String({ maxLength: 200 })),
  resolved: Type.Optional(Type.Boolean()),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
});

export const AlertView = Type.Object({
  id: Type.String(),
  appId: Type.String(),
  appName: Type.String(),
  type: Type.String(),
  severity: Type.String(),
  message: Type.String(),
  triggeredAt: Timestamp,
  resolvedAt: Nullable(Timestamp),
  resolved: Type.Boolean(),
});

const Activity = Type.Object({
  type: Type.Union([Type.Literal('deploy'), Type.Literal('alert')]),
  appName: Type.String(),
  status: Type.Optional(Type.String()),
  message: Type.Optional(Type.String()),
  timestamp: Timestamp,
});

export const OverviewView = Type.Object({
  totalApps: Type.Integer(),
  activeApps: Type.Integer(),
  totalDeploys: Type.Integer(),
  deploysToday: Type.Integer(),
  failedBuildsToday: Type.Integer(),
  estimatedMonthlyCost: Type.Number(),
  appHealthSummary: Type.Object({ healthy: Type.Integer(), degraded: Type.Integer(), unhealthy: Type.Integer(), unknown: Type.Integer() }),
  recentActivity: Type.Array(Activity),
});
