import { describe, expect, it } from 'vitest';
import type { MetricBucket } from '../../core/ports/telemetry.js';
import { buildSeries } from './build-series.js';
import { periodGrid } from './period-grid.js';

const now = new Date('2026-01-20T14:37:30Z');
const bucket = (minutesAgo: number, over: Partial<MetricBucket> = {}): MetricBucket => ({
  appId: 'a',
  resolutionS: 60,
  start: new Date(Math.floor(now.getTime() / 60_000) * 60_000 - minutesAgo * 60_000),
  samples: 6,
  cpuSum: 60,
  cpuMax: 20,
  memorySum: 600,
  memoryMax: 120,
  instancesSum: 6,
  instancesMax: 1,
  requests: 10,
  errors: 1,
  latencySumMs: 500,
  latencyMaxMs: 80,
  ...over,
});

describe('period grids and series', () => {
  it.each([
    ['1h', 60, 60],
    ['6h', 72, 300],
    ['24h', 96, 900],
    ['7d', 168, 3600],
    ['30d', 180, 14_400],
  ] as const)('%s has %i points %i s apart, the last one holding now', (period, points, stepS) => {
    const grid = periodGrid(period, now);
    expect(grid.labels).toHaveLength(points);
    expect(grid.labels[1]!.getTime() - grid.labels[0]!.getTime()).toBe(stepS * 1000);
    expect(grid.labels.at(-1)!.getTime()).toBeLessThanOrEqual(now.getTime());
    expect(grid.to.getTime()).toBeGreaterThan(now.getTime());
  });

  it('folds minute buckets into 5-minute points: sums add, averages weigh by samples, gaps read 0', () => {
    const grid = periodGrid('6h', now);
    const series = buildSeries([bucket(0), bucket(1, { cpuSum: 120, cpuMax: 40, errors: 5 }), bucket(30)], grid, null);
    const last = series.cpu.values.length - 1;
    expect(series.requestCount.values[last]).toBe(20);
    expect(series.cpu.values[last]).toBe(15);
    expect(series.errorRate.values[last]).toBe(30);
    expect(series.requestLatency.values[last]).toBe(50);
    expect(series.cpu.values[0]).toBe(0);
    expect(series.cpu).toMatchObject({ unit: '%', max: 40, avg: 13.33, current: 15 });
    expect(series.requestCount).toMatchObject({ unit: 'req', max: 20, current: 20 });
    expect(series.memory.unit).toBe('MiB');
    expect(series.instanceCount).toMatchObject({ unit: 'instances', current: 1, max: 1 });
  });

  it('takes current gauges from the latest sample', () => {
    const latest = { appId: 'a', at: now, instances: 2, cpuPercent: 55.5, memoryMi: 300, memoryPercent: 30, requests: 0, errors: 0, latencySumMs: 0, latencyCounts: [] };
    const series = buildSeries([bucket(0)], periodGrid('1h', now), latest);
    expect(series.cpu.current).toBe(55.5);
    expect(series.memory.current).toBe(300);
    expect(series.instanceCount.current).toBe(2);
  });
});
