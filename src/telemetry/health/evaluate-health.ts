// An app's health from what Berth observes, as a pure function (thresholds in README.md):
//   unknown   – nothing to judge: no serving revision, scaled to zero, or no sample yet;
//   unhealthy – crash-looping, no running instance while some are wanted, or ≥ 50 % of
//               requests answered 5xx (with ≥ 10 requests in the window);
//   degraded  – fewer instances running than wanted, an instance failed within the last health
//               interval, ≥ 5 %
//               errors or an average latency ≥ 1000 ms (with ≥ 10 requests);
//   healthy   – otherwise.
import type { HealthStatus } from '../../core/ports/telemetry.js';
import type { WindowFigures } from '../metrics/app-sample.js';

export const healthThresholds = {
  unhealthyErrorRatePercent: 50,
  degradedErrorRatePercent: 5,
  degradedLatencyMs: 1_000,
  minRequests: 10,
};

export interface HealthInput {
  serving: boolean;
  expectedReplicas: number;
  runningInstances: number;
  crashLooping: boolean;
  /** Seconds since an instance of a serving revision last failed, when within the health interval; else null. */
  lastFailureAgoS: number | null;
  sampled: boolean;
  traffic: WindowFigures;
}

export function evaluateHealth(input: HealthInput): { status: HealthStatus; reasons: string[] } {
  if (!input.serving) return { status: 'unknown', reasons: ['no revision is serving'] };
  if (input.expectedReplicas === 0) return { status: 'unknown', reasons: ['scaled to zero'] };
  if (!input.sampled) return { status: 'unknown', reasons: ['no data yet'] };
  const t = healthThresholds;
  const judged = input.traffic.requests >= t.minRequests;
  const unhealthy = [
    input.crashLooping ? 'crash-looping' : null,
    input.runningInstances === 0 ? 'no instance is running' : null,
    judged && input.traffic.errorRate >= t.unhealthyErrorRatePercent ? `${input.traffic.errorRate}% of requests failed` : null,
  ].filter((r): r is string => r !== null);
  if (unhealthy.length > 0) return { status: 'unhealthy', reasons: unhealthy };
  const degraded = [
    input.runningInstances < input.expectedReplicas ? `${input.runningInstances} of ${input.expectedReplicas} instances running` : null,
    input.lastFailureAgoS !== null ? `an instance failed ${input.lastFailureAgoS} s ago` : null,
    judged && input.traffic.errorRate >= t.degradedErrorRatePercent ? `${input.traffic.errorRate}% of requests failed` : null,
    judged && input.traffic.avgLatencyMs >= t.degradedLatencyMs ? `average latency ${input.traffic.avgLatencyMs} ms` : null,
  ].filter((r): r is string => r !== null);
  if (degraded.length > 0) return { status: 'degraded', reasons: degraded };
  return { status: 'healthy', reasons: [] };
}
