// One app's figures for one sampling interval: resources of its instances (as shares of their
// limits) and what the edge saw of its traffic since the previous sample.

export interface AppSample {
  appId: string;
  at: Date;
  instances: number;
  /** Cpu used as a percent of the instances' cpu limits (100 = at the limit). */
  cpuPercent: number;
  memoryMi: number;
  /** Memory used as a percent of the instances' memory limits. */
  memoryPercent: number;
  requests: number;
  /** Requests answered 5xx. */
  errors: number;
  latencySumMs: number;
  /** Latency histogram of this interval's requests, on the edge's bounds (last entry: above all). */
  latencyCounts: number[];
}

export interface WindowFigures {
  samples: number;
  requests: number;
  errors: number;
  /** Percent of requests answered 5xx; 0 without requests. */
  errorRate: number;
  avgLatencyMs: number;
  p95LatencyMs: number;
}

/** Traffic figures over a run of samples, with p95 read off the summed histogram (bucket bound). */
export function windowFigures(samples: readonly AppSample[], boundsMs: readonly number[]): WindowFigures {
  let requests = 0;
  let errors = 0;
  let latencySumMs = 0;
  const counts: number[] = [];
  for (const s of samples) {
    requests += s.requests;
    errors += s.errors;
    latencySumMs += s.latencySumMs;
    s.latencyCounts.forEach((c, i) => (counts[i] = (counts[i] ?? 0) + c));
  }
  let p95 = 0;
  if (requests > 0) {
    const target = requests * 0.95;
    let seen = 0;
    for (let i = 0; i < counts.length; i++) {
      seen += counts[i] ?? 0;
      if (seen >= target) {
        p95 = boundsMs[i] ?? (boundsMs[boundsMs.length - 1] ?? 0) * 2;
        break;
      }
    }
  }
  return {
    samples: samples.length,
    requests,
    errors,
    errorRate: requests > 0 ? round2((errors / requests) * 100) : 0,
    avgLatencyMs: requests > 0 ? round2(latencySumMs / requests) : 0,
    p95LatencyMs: p95,
  };
}

export const round2 = (n: number): number => Math.round(n * 100) / 100;
