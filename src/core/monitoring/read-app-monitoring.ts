// An app's metrics over a period and its current health (spec 004).
import type { App } from '../../domain/app.js';
import { findApp } from '../apps/find-app.js';
import type { AppRef } from '../apps/find-app.js';
import type { Deps } from '../deps.js';
import type { AppHealth, AppMetrics, MetricsPeriod } from '../ports/telemetry.js';

export async function getAppMetrics(
  deps: Pick<Deps, 'store' | 'telemetry'>,
  input: AppRef & { /** Default 24h. */ period?: MetricsPeriod },
): Promise<{ app: App; period: MetricsPeriod; metrics: AppMetrics }> {
  const app = await findApp(deps, input, 'monitoring:read');
  const period = input.period ?? '24h';
  return { app, period, metrics: await deps.telemetry.appMetrics(app.id, period) };
}

export async function getAppHealth(deps: Pick<Deps, 'store' | 'telemetry' | 'clock'>, input: AppRef): Promise<AppHealth> {
  const app = await findApp(deps, input, 'monitoring:read');
  const known = deps.telemetry.appHealth(app.id);
  // Read now, not at the last check: a check between a deploy's traffic switch and its success
  // would otherwise answer a healthy app with no deploy until the next check.
  const deployed = await deps.store.deployments.latestSucceeded(app.id);
  if (known) return { ...known, lastDeployedAt: deployed?.finishedAt ?? null };
  return {
    appId: app.id,
    status: 'unknown',
    reasons: ['not checked yet'],
    uptimeS: 0,
    lastDeployedAt: deployed?.finishedAt ?? null,
    instanceCount: 0,
    warmInstances: 0,
    errorRate: 0,
    avgLatencyMs: 0,
    requestCount: 0,
    lastCheckedAt: deps.clock.now(),
  };
}
