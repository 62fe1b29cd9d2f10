// The workspace overview (spec 004): app and deploy counts, an estimate of the monthly cost of
// what runs (reserved cpu and memory × replicas × hours at the configured prices, database
// servers included), the health
// breakdown and recent deploys and alerts.
import type { App } from '../../domain/app.js';
import type { ManagedDatabase } from '../../domain/database.js';
import type { Principal } from '../../domain/workspace.js';
import { authorize } from '../authorize.js';
import type { Deps } from '../deps.js';
import type { HealthStatus, TelemetrySettings } from '../ports/telemetry.js';

export const hoursPerMonth = 730;

export type Activity =
  | { type: 'deploy'; appName: string; status: string; timestamp: Date }
  | { type: 'alert'; appName: string; message: string; timestamp: Date };

export interface Overview {
  totalApps: number;
  activeApps: number;
  totalDeploys: number;
  deploysToday: number;
  failedBuildsToday: number;
  estimatedMonthlyCost: number;
  appHealthSummary: Record<HealthStatus, number>;
  recentActivity: Activity[];
}

/**
 * Monthly cost of the apps that run, at the configured prices, with the replicas each runs now
 * (an autoscaled app's current count); stopped and failed apps cost nothing.
 */
export function monthlyCost(apps: readonly App[], prices: TelemetrySettings, replicasOf: (app: App) => number): number {
  let perHour = 0;
  for (const app of apps) {
    if (app.status !== 'active' || app.replicas === 0) continue;
    const replicas = replicasOf(app);
    perHour += replicas * ((app.cpuLimitMillicores / 1000) * prices.priceVcpuHour + (app.memoryLimitMi / 1024) * prices.priceGibHour);
  }
  return Math.round(perHour * hoursPerMonth * 100) / 100;
}

/**
 * Monthly cost of the database servers, by the cpu and memory they reserve; SQLITE runs nothing
 * (a volume) and a failed database reserves nothing.
 */
export function databasesMonthlyCost(databases: readonly ManagedDatabase[], prices: TelemetrySettings): number {
  let perHour = 0;
  for (const database of databases) {
    if (database.engine === 'SQLITE' || database.status === 'failed') continue;
    perHour += (database.resources.cpuMillicores / 1000) * prices.priceVcpuHour + (database.resources.memoryMi / 1024) * prices.priceGibHour;
  }
  return Math.round(perHour * hoursPerMonth * 100) / 100;
}

export async function getOverview(deps: Pick<Deps, 'store' | 'telemetry' | 'clock' | 'settings' | 'orchestrator'>, input: { actor: Principal; workspaceId: string }): Promise<Overview> {
  authorize(input.actor, input.workspaceId, 'monitoring:read');
  const now = deps.clock.now();
  const midnight = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const [{ apps }, stats, deploys, alerts, databases] = await Promise.all([
    deps.store.apps.list({ workspaceId: input.workspaceId, page: 1, limit: 100_000 }),
    deps.store.activity.deployStats(input.workspaceId, midnight),
    deps.store.activity.recentDeploys(input.workspaceId, 10),
    deps.store.alerts.recent(input.workspaceId, 10),
    deps.store.databases.list({ workspaceId: input.workspaceId }),
  ]);
  const appHealthSummary: Record<HealthStatus, number> = { healthy: 0, degraded: 0, unhealthy: 0, unknown: 0 };
  // Computed now, as each app's health answer is, not taken from the last periodic check.
  const statuses = await deps.telemetry.healthStatusesNow(apps);
  for (const app of apps) appHealthSummary[statuses.get(app.id) ?? 'unknown'] += 1;
  const recentActivity: Activity[] = [
    ...deploys.map((d): Activity => ({ type: 'deploy', appName: d.appName, status: d.status, timestamp: d.timestamp })),
    ...alerts.map((a): Activity => ({ type: 'alert', appName: a.appName, message: a.message, timestamp: a.triggeredAt })),
  ]
    .sort((a, b) => b.timestamp.getTime() - a.timestamp.getTime())
    .slice(0, 10);
  return {
    totalApps: apps.length,
    activeApps: apps.filter((a) => a.status === 'active').length,
    totalDeploys: stats.total,
    deploysToday: stats.today,
    failedBuildsToday: stats.failedBuildsToday,
    estimatedMonthlyCost: Math.round((monthlyCost(apps, deps.settings.monitoring, (app) => deps.orchestrator.replicasFor(app)) + databasesMonthlyCost(databases, deps.settings.monitoring)) * 100) / 100,
    appHealthSummary,
    recentActivity,
  };
}
