import { describe, expect, it } from 'vitest';
import { createUsageMeter } from './usage.js';

const mi = 1024 * 1024;

describe('createUsageMeter', () => {
  it('measures cpu since start until a full window has passed', () => {
    const meter = createUsageMeter(0);
    expect(meter.next({ cpuSeconds: 0.25, memoryBytes: 10 * mi }, 500)).toEqual({ cpuPercent: 50, memoryMi: 10 });
  });

  it('keeps a window of at least a second when asked back to back', () => {
    const meter = createUsageMeter(0);
    meter.next({ cpuSeconds: 1, memoryBytes: mi }, 2_000);
    expect(meter.next({ cpuSeconds: 1.5, memoryBytes: mi }, 3_000).cpuPercent).toBe(50);
    // 10 ms later: still measured against the sample a second back, not a 10 ms sliver.
    expect(meter.next({ cpuSeconds: 1.5, memoryBytes: mi }, 3_010).cpuPercent).toBeCloseTo(49.5, 1);
    expect(meter.next({ cpuSeconds: 2.5, memoryBytes: mi }, 4_010).cpuPercent).toBeCloseTo(100, 0);
  });
});
