// Figures of a load phase: how many requests failed or were not 2xx (and why), and latency
// percentiles; plus percentiles of any list of durations.
import type { Outcome } from './constant-load.js';

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

export interface PhaseSummary {
  requests: number;
  seconds: number;
  failed: number;
  non2xx: number;
  reasons: Record<string, number>;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export function summarize(outcomes: readonly Outcome[], seconds: number): PhaseSummary {
  const reasons: Record<string, number> = {};
  let failed = 0;
  let non2xx = 0;
  const count = (reason: string, o: Outcome) => {
    const key = o.path === '/' ? reason : `${reason} on ${o.path.split('?')[0]}`;
    reasons[key] = (reasons[key] ?? 0) + 1;
  };
  for (const o of outcomes) {
    if (o.error !== null) {
      failed++;
      count(o.error, o);
    } else if (o.status === null || o.status < 200 || o.status > 299) {
      non2xx++;
      count(`HTTP ${o.status}`, o);
    }
  }
  const latencies = outcomes.map((o) => o.doneAt - o.sentAt);
  return {
    requests: outcomes.length,
    seconds,
    failed,
    non2xx,
    reasons,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    maxMs: Math.max(...latencies),
  };
}

export function describePhase(name: string, s: PhaseSummary): string {
  const reasons = Object.keys(s.reasons).length ? ` (${Object.entries(s.reasons).map(([k, v]) => `${k}: ${v}`).join(', ')})` : '';
  return (
    `${name.padEnd(9)} ${String(s.requests).padStart(6)} requests in ${s.seconds.toFixed(1)} s (${(s.requests / s.seconds).toFixed(0)}/s); ` +
    `failed ${s.failed}, non-2xx ${s.non2xx}${reasons}; latency p50 ${s.p50Ms.toFixed(1)} ms, p99 ${s.p99Ms.toFixed(1)} ms, max ${s.maxMs.toFixed(1)} ms`
  );
}
