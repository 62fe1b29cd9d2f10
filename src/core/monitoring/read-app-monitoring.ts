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

/** Computed when asked (instances, failures and traffic up to now), so a failure or a recovery shows at once. */
export async function getAppHealth(deps: Pick<Deps, 'store' | 'telemetry'>, input: AppRef): Promise<AppHealth> {
  const app = await findApp(deps, input, 'monitoring:read');
  return deps.telemetry.appHealthNow(app);
}
