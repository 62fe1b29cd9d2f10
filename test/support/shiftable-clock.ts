// A clock that runs with real time but can be moved forward, so expiry can be tested without waiting.
import type { Clock } from '../../src/core/ports/clock.js';

export interface ShiftableClock extends Clock {
  advance(ms: number): void;
  reset(): void;
}

export function shiftableClock(): ShiftableClock {
  let offsetMs = 0;
  return {
    now: () => new Date(Date.now() + offsetMs),
    advance(ms) {
      offsetMs += ms;
    },
    reset() {
      offsetMs = 0;
    },
  };
}
