// The core is built before the edge and runtime that telemetry reads; main.ts hands the core
// this stand-in, which forwards to the real telemetry once it exists.
import type { Telemetry } from '../core/ports/telemetry.js';

export function deferredTelemetry(get: () => Telemetry | null): Telemetry {
  const real = (): Telemetry => {
    const telemetry = get();
    if (!telemetry) throw new Error('Berth is still starting');
    return telemetry;
  };
  return {
    tailLogs: (appId, listener) => real().tailLogs(appId, listener),
    unstoredLogs: (appId) => real().unstoredLogs(appId),
    appMetrics: (appId, period) => real().appMetrics(appId, period),
    healthStatusesNow: (apps) => real().healthStatusesNow(apps),
    appHealthNow: (app) => real().appHealthNow(app),
    exposition: (scope) => real().exposition(scope),
    alertResolved: (alert) => real().alertResolved(alert),
  };
}
