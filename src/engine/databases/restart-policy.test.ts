import { describe, expect, it } from 'vitest';
import { afterExit, defaultRestartPolicy } from './restart-policy.js';

describe('what follows a database server’s exit', () => {
  it.each([
    [0, { restart: true, delayMs: 1000, attempt: 1 }],
    [1, { restart: true, delayMs: 2000, attempt: 2 }],
    [2, { restart: true, delayMs: 4000, attempt: 3 }],
    [3, { restart: true, delayMs: 8000, attempt: 4 }],
    [4, { restart: true, delayMs: 16_000, attempt: 5 }],
    [5, { restart: false }],
  ])('after %i failed starts in a row: %o', (failedStarts, expected) => {
    expect(afterExit(defaultRestartPolicy, failedStarts)).toEqual(expected);
  });

  it('never waits longer than the cap', () => {
    expect(afterExit({ firstDelayMs: 1000, maxDelayMs: 5000, maxFailedStarts: 10 }, 8)).toEqual({ restart: true, delayMs: 5000, attempt: 9 });
  });
});
