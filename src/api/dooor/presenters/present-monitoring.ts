// Monitoring values on the wire (spec 004): ISO timestamps, chart labels to the second.
import type { Activity, Overview } from '../../../core/monitoring/get-overview.js';
import type { Alert, AppHealth, AppMetrics, MetricSeries, MetricsPeriod, Severity } from '../../../core/ports/telemetry.js';
import type { App } from '../../../domain/app.js';

const label = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

const presentSeries = (s: MetricSeries) => ({ labels: s.labels.map(label), values: s.values, unit: s.unit, current: s.current, avg: s.avg, max: s.max });

export function presentMetrics(app: App, period: MetricsPeriod, m: AppMetrics) {
  return {
    appId: app.id,
    serviceName: app.slug,
    period,
    cpu: presentSeries(m.cpu),
    memory: presentSeries(m.memory),
    requestCount: presentSeries(m.requestCount),
    requestLatency: presentSeries(m.requestLatency),
    errorRate: presentSeries(m.errorRate),
    instanceCount: presentSeries(m.instanceCount),
  };
}

export function presentHealth(h: AppHealth) {
  return {
    appId: h.appId,
    status: h.status,
    uptime: h.uptimeS,
    lastDeployedAt: h.lastDeployedAt?.toISOString() ?? null,
    instanceCount: h.instanceCount,
    warmInstances: h.warmInstances,
    errorRate: h.errorRate,
    avgLatencyMs: h.avgLatencyMs,
    requestCount: h.requestCount,
    lastCheckedAt: h.lastCheckedAt.toISOString(),
  };
}

export const presentLogEntry = (line: { seq: number | null; timestamp: Date; severity: Severity; message: string; revisionName: string; instanceId: string }) => ({
  seq: line.seq,
  timestamp: line.timestamp.toISOString(),
  severity: line.severity,
  message: line.message,
  revisionName: line.revisionName,
  instanceId: line.instanceId,
});

export function presentAlert(a: Alert) {
  return {
    id: a.id,
    appId: a.appId,
    appName: a.appName,
    type: a.type,
    severity: a.severity,
    message: a.message,
    triggeredAt: a.triggeredAt.toISOString(),
    resolvedAt: a.resolvedAt?.toISOString() ?? null,
    resolved: a.resolvedAt !== null,
  };
}

const presentActivity = (a: Activity) =>
  a.type === 'deploy'
    ? { type: a.type, appName: a.appName, status: a.status, timestamp: a.timestamp.toISOString() }
    : { type: a.type, appName: a.appName, message: a.message, timestamp: a.timestamp.toISOString() };

export function presentOverview(o: Overview) {
  return { ...o, recentActivity: o.recentActivity.map(presentActivity) };
}
