// Reads an app's series from Prometheus (BERTH_PROMETHEUS_URL) instead of Berth's own store,
// querying the series Berth itself exposes on /metrics. Each point covers one step of the
// period's grid: it is evaluated at the step's end and labelled with its start, like the store.
import type { AppMetrics, MetricSeries, MetricsPeriod } from '../../core/ports/telemetry.js';
import { round2 } from './app-sample.js';
import { periodGrid } from './period-grid.js';

interface MatrixAnswer {
  status: string;
  data?: { resultType: string; result: { values: [number, string][] }[] };
  error?: string;
}

export function createPrometheusReader(options: { url: string; timeoutMs?: number }) {
  async function range(query: string, start: number, end: number, stepS: number): Promise<Map<number, number>> {
    const params = new URLSearchParams({ query, start: String(start / 1000), end: String(end / 1000), step: `${stepS}s` });
    const response = await fetch(`${options.url}/api/v1/query_range?${params.toString()}`, {
      signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
    });
    const answer = (await response.json()) as MatrixAnswer;
    if (answer.status !== 'success' || !answer.data) throw new Error(`Prometheus answered ${response.status}: ${answer.error ?? 'no data'}`);
    const points = new Map<number, number>();
    for (const series of answer.data.result) {
      for (const [t, v] of series.values) {
        const value = Number(v);
        if (Number.isFinite(value)) points.set(Math.round(t * 1000), (points.get(Math.round(t * 1000)) ?? 0) + value);
      }
    }
    return points;
  }

  return {
    async appMetrics(appId: string, period: MetricsPeriod, now: Date): Promise<Omit<AppMetrics, 'source'>> {
      const grid = periodGrid(period, now);
      const step = grid.plan.stepS;
      const sel = `{app_id="${appId.replace(/["\\]/g, '')}"}`;
      const w = `[${step}s]`;
      const queries = {
        cpu: `sum(avg_over_time(berth_app_cpu_percent${sel}${w}))`,
        memory: `sum(avg_over_time(berth_app_memory_mib${sel}${w}))`,
        instances: `sum(avg_over_time(berth_app_instances${sel}${w}))`,
        requests: `sum(increase(berth_app_requests_total${sel}${w}))`,
        errors: `sum(increase(berth_app_request_errors_total${sel}${w}))`,
        latencySum: `sum(increase(berth_app_request_duration_seconds_sum${sel}${w}))`,
      };
      const first = grid.from.getTime() + grid.stepMs;
      const last = grid.to.getTime();
      const entries = await Promise.all(Object.entries(queries).map(async ([name, q]) => [name, await range(q, first, last, step)] as const));
      const points = Object.fromEntries(entries) as Record<keyof typeof queries, Map<number, number>>;
      const at = (map: Map<number, number>, label: Date) => map.get(label.getTime() + grid.stepMs) ?? 0;
      const build = (unit: string, value: (label: Date) => number, gauge: boolean): MetricSeries => {
        const values = grid.labels.map((label) => round2(value(label)));
        const withData = values.filter((v) => v !== 0);
        const current = gauge ? ([...values].reverse().find((v) => v !== 0) ?? 0) : (values.at(-1) ?? 0);
        return {
          labels: grid.labels,
          values,
          unit,
          current,
          avg: withData.length ? round2(withData.reduce((a, b) => a + b, 0) / withData.length) : 0,
          max: Math.max(0, ...values),
        };
      };
      const requests = (label: Date) => Math.round(at(points.requests, label));
      return {
        cpu: build('%', (l) => at(points.cpu, l), true),
        memory: build('MiB', (l) => at(points.memory, l), true),
        requestCount: build('req', requests, false),
        requestLatency: build('ms', (l) => (at(points.requests, l) > 0 ? (at(points.latencySum, l) * 1000) / at(points.requests, l) : 0), false),
        errorRate: build('%', (l) => (at(points.requests, l) > 0 ? (at(points.errors, l) / at(points.requests, l)) * 100 : 0), false),
        instanceCount: build('instances', (l) => at(points.instances, l), true),
      };
    },
  };
}
