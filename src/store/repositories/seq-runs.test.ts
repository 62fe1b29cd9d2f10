import { describe, expect, it } from 'vitest';
import { countSeqsAbove, encodeSeqRuns } from './seq-runs.js';

describe('seq runs', () => {
  const seqs = [7, 3, 4, 5, 1000, 1001, 20, 40, 41];
  const encoded = encodeSeqRuns(seqs);

  it('writes consecutive seqs as one run', () => {
    expect(encoded).toBe('3+2,2,d,k+1,qn+1');
    expect(encodeSeqRuns([])).toBe('');
  });

  it('counts the seqs above a position, and knows whether the position is among them', () => {
    for (const at of [0, 3, 4, 6, 7, 20, 41, 999, 1000, 1001, 5000]) {
      expect(countSeqsAbove(encoded, at)).toEqual({ above: seqs.filter((s) => s > at).length, holds: seqs.includes(at) });
    }
    expect(countSeqsAbove('', 5)).toEqual({ above: 0, holds: false });
  });
});
