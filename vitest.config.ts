import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.ts'],
    setupFiles: ['test/support/artifact-cleanup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // One test file at a time (vitest's default on 2 cores). Files share nothing (see test/support),
    // but two at a time made runtime-truth's and scale's replica counts fail under the load (they
    // fail at load without this change too): see the note of 2026-12-04.
    maxWorkers: 1,
    minWorkers: 1,
    reporters: ['default'],
  },
});
