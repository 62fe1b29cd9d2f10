// The threshold rules, as pure functions of recent samples: each says whether its condition is
// firing, clear, or not yet decidable (too few samples), and what to tell people.
import type { AlertSeverity, AlertType } from '../../core/ports/telemetry.js';
import type { AppSample } from '../metrics/app-sample.js';
import { windowFigures } from '../metrics/app-sample.js';

export interface AlertThresholds {
  cpuPercent: number;
  memoryPercent: number;
  sustainMs: number;
  errorRatePercent: number;
  latencyP95Ms: number;
  windowMs: number;
  minRequests: number;
}

export interface Condition {
  type: AlertType;
  /** null: not enough data to change the current state. */
  firing: boolean | null;
  severity: AlertSeverity;
  message: string;
  /** What the alert is about, when that can change while it fires (which domains fail): a new
   * subject closes the open alert and opens one that says so. */
  subject?: string;
}

const seconds = (ms: number) => (ms >= 120_000 ? `${Math.round(ms / 60_000)} minutes` : `${Math.round(ms / 1000)} s`);

/** Sustained: every sample of the last `sustainMs` is over the threshold; clear: every one is under. */
function sustained(
  type: 'high_cpu' | 'high_memory',
  samples: readonly AppSample[],
  input: { now: number; sustainMs: number; intervalMs: number; threshold: number; value: (s: AppSample) => number; what: string },
): Condition {
  const recent = samples.filter((s) => s.at.getTime() >= input.now - input.sustainMs);
  const needed = Math.max(1, Math.floor(input.sustainMs / input.intervalMs));
  const values = recent.filter((s) => s.instances > 0).map(input.value);
  const peak = Math.max(0, ...values);
  const over = values.length >= needed && recent.length === values.length && values.every((v) => v >= input.threshold);
  const under = values.every((v) => v < input.threshold) && recent.length > 0;
  return {
    type,
    firing: over ? true : under ? false : null,
    severity: type === 'high_memory' && peak >= 95 ? 'critical' : 'warning',
    message: `${input.what} usage exceeded ${input.threshold}% of its limit for ${seconds(input.sustainMs)} (peak ${peak.toFixed(1)}%)`,
  };
}

export function sampleConditions(
  samples: readonly AppSample[],
  boundsMs: readonly number[],
  t: AlertThresholds,
  now: number,
  intervalMs: number,
): Condition[] {
  const traffic = windowFigures(
    samples.filter((s) => s.at.getTime() >= now - t.windowMs),
    boundsMs,
  );
  const enough = traffic.requests >= t.minRequests;
  return [
    sustained('high_cpu', samples, { now, sustainMs: t.sustainMs, intervalMs, threshold: t.cpuPercent, value: (s) => s.cpuPercent, what: 'CPU' }),
    sustained('high_memory', samples, { now, sustainMs: t.sustainMs, intervalMs, threshold: t.memoryPercent, value: (s) => s.memoryPercent, what: 'Memory' }),
    {
      type: 'high_error_rate',
      firing: enough && traffic.errorRate >= t.errorRatePercent,
      severity: traffic.errorRate >= 25 ? 'critical' : 'warning',
      message: `Error rate ${traffic.errorRate.toFixed(1)}% exceeded ${t.errorRatePercent}% threshold (${traffic.errors} of ${traffic.requests} requests answered 5xx in ${seconds(t.windowMs)})`,
    },
    {
      type: 'high_latency',
      firing: enough && traffic.p95LatencyMs >= t.latencyP95Ms,
      severity: 'warning',
      message: `p95 latency ${traffic.p95LatencyMs} ms exceeded ${t.latencyP95Ms} ms threshold over ${seconds(t.windowMs)}`,
    },
  ];
}
