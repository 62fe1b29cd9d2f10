import { describe, expect, it } from 'vitest';
import { recommendReplicas, stabilizedReplicas, utilizationOfLimit } from './autoscale-policy.js';

describe('recommendReplicas', () => {
  it.each([
    // current, utilisation, target, min, max → expected
    [1, 140, 70, 1, 5, 2],
    [2, 140, 70, 1, 5, 4],
    [2, 350, 70, 1, 5, 5],
    [4, 35, 70, 1, 5, 2],
    [3, 72, 70, 1, 5, 3],
    [3, 0, 70, 2, 5, 2],
    [1, 75, 70, 1, 5, 1],
  ])(
    '%i replicas at %i%% of a %i%% target (min %i, max %i) → %i',
    (current, utilizationPercent, targetPercent, min, max, expected) => {
      expect(recommendReplicas({ current, utilizationPercent, targetPercent, min, max })).toBe(expected);
    },
  );
});

describe('stabilizedReplicas', () => {
  const window = 60_000;
  it('scales up at once', () => {
    expect(stabilizedReplicas(2, [{ at: 1000, replicas: 4 }], 1000, window)).toBe(4);
  });
  it('scales down only to the highest recommendation of the window', () => {
    const history = [
      { at: 0, replicas: 4 },
      { at: 30_000, replicas: 2 },
      { at: 50_000, replicas: 1 },
    ];
    expect(stabilizedReplicas(4, history, 50_000, window)).toBe(4);
    expect(stabilizedReplicas(4, history, 80_000, window)).toBe(2);
    expect(stabilizedReplicas(4, history, 110_000, window)).toBe(1);
  });
  it('keeps the count with no recommendation', () => {
    expect(stabilizedReplicas(3, [], 0, window)).toBe(3);
  });
});

describe('utilizationOfLimit', () => {
  it('is a share of the limit, not of a core', () => {
    expect(utilizationOfLimit(25, 250)).toBe(100);
    expect(utilizationOfLimit(50, 1000)).toBe(50);
  });
});
