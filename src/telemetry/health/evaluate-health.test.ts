import { describe, expect, it } from 'vitest';
import type { HealthInput } from './evaluate-health.js';
import { evaluateHealth } from './evaluate-health.js';

const traffic = (requests: number, errors = 0, avgLatencyMs = 10) => ({
  samples: 3,
  requests,
  errors,
  errorRate: requests ? (errors / requests) * 100 : 0,
  avgLatencyMs,
  p95LatencyMs: avgLatencyMs,
});
const healthy: HealthInput = { serving: true, expectedReplicas: 2, runningInstances: 2, crashLooping: false, lastFailureAgoS: null, sampled: true, traffic: traffic(100) };

describe('evaluateHealth', () => {
  it.each<[string, Partial<HealthInput>, string]>([
    ['all good', {}, 'healthy'],
    ['not serving', { serving: false }, 'unknown'],
    ['scaled to zero', { expectedReplicas: 0 }, 'unknown'],
    ['no sample yet', { sampled: false }, 'unknown'],
    ['crash loop', { crashLooping: true }, 'unhealthy'],
    ['nothing running', { runningInstances: 0 }, 'unhealthy'],
    ['most requests fail', { traffic: traffic(100, 60) }, 'unhealthy'],
    ['one instance missing', { runningInstances: 1 }, 'degraded'],
    ['an instance failed recently', { lastFailureAgoS: 4 }, 'degraded'],
    ['some errors', { traffic: traffic(100, 6) }, 'degraded'],
    ['slow', { traffic: traffic(100, 0, 1500) }, 'degraded'],
    ['too few requests to judge', { traffic: traffic(5, 5, 5000) }, 'healthy'],
  ])('%s → %s', (_name, change, expected) => {
    expect(evaluateHealth({ ...healthy, ...change }).status).toBe(expected);
  });
});
