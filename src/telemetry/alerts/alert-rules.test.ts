import { describe, expect, it } from 'vitest';
import type { AppSample } from '../metrics/app-sample.js';
import { sampleConditions } from './alert-rules.js';

const thresholds = { cpuPercent: 80, memoryPercent: 80, sustainMs: 3000, errorRatePercent: 5, latencyP95Ms: 1000, windowMs: 10_000, minRequests: 10 };
const sample = (t: number, over: Partial<AppSample> = {}): AppSample => ({
  appId: 'a',
  at: new Date(t),
  instances: 1,
  cpuPercent: 10,
  memoryMi: 50,
  memoryPercent: 10,
  requests: 0,
  errors: 0,
  latencySumMs: 0,
  latencyCounts: [0, 0, 0],
  ...over,
});
const bounds = [100, 1000];
const byType = (samples: AppSample[], now: number) => Object.fromEntries(sampleConditions(samples, bounds, thresholds, now, 1000).map((c) => [c.type, c.firing]));

describe('alert rules', () => {
  it('fires high_cpu only once the whole sustain window is over the threshold', () => {
    const hot = [1, 2, 3, 4].map((s) => sample(s * 1000, { cpuPercent: 95 }));
    expect(byType(hot.slice(0, 1), 1000).high_cpu).toBe(null);
    expect(byType(hot, 4000).high_cpu).toBe(true);
    const mixed = [...hot.slice(0, 3), sample(4000, { cpuPercent: 20 })];
    expect(byType(mixed, 4000).high_cpu).toBe(null);
    const cool = [5, 6, 7, 8].map((s) => sample(s * 1000, { cpuPercent: 5 }));
    expect(byType(cool, 8000).high_cpu).toBe(false);
  });

  it('fires high_memory on the share of the memory limit, critical from 95 %', () => {
    const full = [1, 2, 3, 4].map((s) => sample(s * 1000, { memoryPercent: 97 }));
    const condition = sampleConditions(full, bounds, thresholds, 4000, 1000).find((c) => c.type === 'high_memory');
    expect(condition).toMatchObject({ firing: true, severity: 'critical' });
    expect(condition?.message).toMatch(/^Memory usage exceeded 80% of its limit for 3 s \(peak 97\.0%\)$/);
    const stopped = [sample(5000, { instances: 0, memoryPercent: 0 })];
    expect(byType(stopped, 5000).high_memory).toBe(false);
  });

  it('judges error rate and p95 latency only with enough requests', () => {
    const few = [sample(1000, { requests: 5, errors: 5, latencyCounts: [0, 0, 5] })];
    expect(byType(few, 1000)).toMatchObject({ high_error_rate: false, high_latency: false });
    const many = [sample(1000, { requests: 20, errors: 4, latencySumMs: 40_000, latencyCounts: [0, 0, 20] })];
    expect(byType(many, 1000)).toMatchObject({ high_error_rate: true, high_latency: true });
  });
});
