// Which roll-up tier and step answer each period of spec 004, and the grid of bucket starts a
// response holds: 1h → 60 × 1 min, 6h → 72 × 5 min, 24h → 96 × 15 min, 7d → 168 × 1 h,
// 30d → 180 × 4 h. The last bucket is the one in progress.
import type { MetricsPeriod } from '../../core/ports/telemetry.js';

export interface PeriodPlan {
  /** The stored tier read: 60 s or 3600 s buckets. */
  resolutionS: number;
  stepS: number;
  points: number;
}

export const periodPlans: Record<MetricsPeriod, PeriodPlan> = {
  '1h': { resolutionS: 60, stepS: 60, points: 60 },
  '6h': { resolutionS: 60, stepS: 300, points: 72 },
  '24h': { resolutionS: 60, stepS: 900, points: 96 },
  '7d': { resolutionS: 3600, stepS: 3600, points: 168 },
  '30d': { resolutionS: 3600, stepS: 14_400, points: 180 },
};

export interface PeriodGrid {
  plan: PeriodPlan;
  stepMs: number;
  /** Start of the first bucket (inclusive). */
  from: Date;
  /** End of the last bucket (exclusive). */
  to: Date;
  labels: Date[];
}

export function periodGrid(period: MetricsPeriod, now: Date): PeriodGrid {
  const plan = periodPlans[period];
  const stepMs = plan.stepS * 1000;
  const to = Math.floor(now.getTime() / stepMs) * stepMs + stepMs;
  const from = to - plan.points * stepMs;
  const labels = Array.from({ length: plan.points }, (_, i) => new Date(from + i * stepMs));
  return { plan, stepMs, from: new Date(from), to: new Date(to), labels };
}
