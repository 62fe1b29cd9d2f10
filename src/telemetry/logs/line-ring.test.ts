// The ring keeps the newest items in order, whatever how many times it wrapped.
import { describe, expect, it } from 'vitest';
import { createLineRing } from './line-ring.js';

describe('line ring', () => {
  it('keeps everything, in order, until it is full', () => {
    const ring = createLineRing<number>(3);
    expect([ring.push(1), ring.push(2)]).toEqual([false, false]);
    expect(ring.drain()).toEqual([1, 2]);
    expect(ring.size).toBe(0);
  });

  it('replaces the oldest once full, and says so', () => {
    const ring = createLineRing<number>(3);
    const replaced = [1, 2, 3, 4, 5, 6, 7].map((n) => ring.push(n));
    expect(replaced).toEqual([false, false, false, true, true, true, true]);
    expect(ring.drain()).toEqual([5, 6, 7]);
    // Drained, it starts over empty.
    ring.push(8);
    expect(ring.drain()).toEqual([8]);
  });

  it('refuses a capacity below one', () => {
    expect(() => createLineRing(0)).toThrow(RangeError);
  });
});
