// Folds stored roll-up buckets into the six series of spec 004 on a period's grid. Buckets
// without data read 0; `avg` and `max` are over the buckets that have data; `current` is the
// latest sample for gauges (cpu, memory, instances) and the newest bucket for the rest.
import type { AppMetrics, MetricBucket, MetricSeries } from '../../core/ports/telemetry.js';
import type { AppSample } from './app-sample.js';
import { round2 } from './app-sample.js';
import type { PeriodGrid } from './period-grid.js';

/** A bucket's sums and maxima, without its identity. */
type Step = Omit<MetricBucket, 'appId' | 'resolutionS' | 'start'>;

const emptyStep = (): Step => ({
  samples: 0,
  cpuSum: 0,
  cpuMax: 0,
  memorySum: 0,
  memoryMax: 0,
  instancesSum: 0,
  instancesMax: 0,
  requests: 0,
  errors: 0,
  latencySumMs: 0,
  latencyMaxMs: 0,
});

function fold(buckets: readonly MetricBucket[], grid: PeriodGrid): Step[] {
  const steps = grid.labels.map(emptyStep);
  for (const b of buckets) {
    const index = Math.floor((b.start.getTime() - grid.from.getTime()) / grid.stepMs);
    const step = steps[index];
    if (!step) continue;
    step.samples += b.samples;
    step.cpuSum += b.cpuSum;
    step.cpuMax = Math.max(step.cpuMax, b.cpuMax);
    step.memorySum += b.memorySum;
    step.memoryMax = Math.max(step.memoryMax, b.memoryMax);
    step.instancesSum += b.instancesSum;
    step.instancesMax = Math.max(step.instancesMax, b.instancesMax);
    step.requests += b.requests;
    step.errors += b.errors;
    step.latencySumMs += b.latencySumMs;
    step.latencyMaxMs = Math.max(step.latencyMaxMs, b.latencyMaxMs);
  }
  return steps;
}

function series(
  labels: Date[],
  steps: Step[],
  unit: string,
  value: (s: Step) => number,
  summary: { avg: number; max: number; current: number | null; has: (s: Step) => boolean },
): MetricSeries {
  const values = steps.map((s) => (summary.has(s) ? round2(value(s)) : 0));
  const last = [...steps].reverse().find(summary.has);
  return {
    labels,
    values,
    unit,
    current: round2(summary.current ?? (last ? value(last) : 0)),
    avg: round2(summary.avg),
    max: round2(summary.max),
  };
}

const sum = (steps: Step[], f: (s: Step) => number) => steps.reduce((total, s) => total + f(s), 0);
const maxOf = (steps: Step[], f: (s: Step) => number) => steps.reduce((m, s) => Math.max(m, f(s)), 0);

export function buildSeries(buckets: readonly MetricBucket[], grid: PeriodGrid, latest: AppSample | null): Omit<AppMetrics, 'source'> {
  const steps = fold(buckets, grid);
  const sampled = steps.filter((s) => s.samples > 0);
  const samples = sum(sampled, (s) => s.samples);
  const requests = sum(sampled, (s) => s.requests);
  const hasSamples = (s: Step) => s.samples > 0;
  const hasRequests = (s: Step) => s.requests > 0;
  const perSample = (f: (s: Step) => number) => (samples > 0 ? sum(sampled, f) / samples : 0);
  const labels = grid.labels;
  return {
    cpu: series(labels, steps, '%', (s) => s.cpuSum / s.samples, {
      avg: perSample((s) => s.cpuSum),
      max: maxOf(sampled, (s) => s.cpuMax),
      current: latest?.cpuPercent ?? null,
      has: hasSamples,
    }),
    memory: series(labels, steps, 'MiB', (s) => s.memorySum / s.samples, {
      avg: perSample((s) => s.memorySum),
      max: maxOf(sampled, (s) => s.memoryMax),
      current: latest?.memoryMi ?? null,
      has: hasSamples,
    }),
    requestCount: series(labels, steps, 'req', (s) => s.requests, {
      avg: sampled.length > 0 ? requests / sampled.length : 0,
      max: maxOf(sampled, (s) => s.requests),
      current: null,
      has: hasSamples,
    }),
    requestLatency: series(labels, steps, 'ms', (s) => s.latencySumMs / s.requests, {
      avg: requests > 0 ? sum(sampled, (s) => s.latencySumMs) / requests : 0,
      max: maxOf(sampled, (s) => s.latencyMaxMs),
      current: null,
      has: hasRequests,
    }),
    errorRate: series(labels, steps, '%', (s) => (s.errors / s.requests) * 100, {
      avg: requests > 0 ? (sum(sampled, (s) => s.errors) / requests) * 100 : 0,
      max: maxOf(sampled.filter(hasRequests), (s) => (s.errors / s.requests) * 100),
      current: null,
      has: hasRequests,
    }),
    instanceCount: series(labels, steps, 'instances', (s) => s.instancesSum / s.samples, {
      avg: perSample((s) => s.instancesSum),
      max: maxOf(sampled, (s) => s.instancesMax),
      current: latest?.instances ?? null,
      has: hasSamples,
    }),
  };
}
