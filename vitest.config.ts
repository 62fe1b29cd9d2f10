import { defineConfig } from 'vitest/config';
import { SlowFirstSequencer } from './test/support/slow-first-sequencer.js';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.ts'],
    setupFiles: ['test/support/artifact-cleanup.ts'],
    // Namespaces, nftables tables and cgroups of test Berths whose test process was killed; and the
    // `berth` bundle every test's `berth` process runs (built once per run, not compiled per process).
    globalSetup: ['test/support/global-leftovers.ts', 'test/support/global-bundle.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two test files at a time (one per core). Files share nothing (see test/support); the
    // answers that raced under load (replica counts, a preview's ready, health's last deploy) were
    // fixed in Berth or made deterministic in their tests (note of 2026-12-04, fourth session).
    maxWorkers: 2,
    minWorkers: 1,
    // The slowest files start first, so none of them is left running alone at the end.
    sequence: { sequencer: SlowFirstSequencer },
    reporters: ['default'],
  },
});
