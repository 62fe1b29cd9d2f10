import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.ts'],
    setupFiles: ['test/support/artifact-cleanup.ts'],
    // Namespaces, nftables tables and cgroups of test Berths whose test process was killed.
    globalSetup: ['test/support/global-leftovers.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two test files at a time (one per core). Files share nothing (see test/support); the
    // answers that raced under load (replica counts, a preview's ready, health's last deploy) were
    // fixed in Berth or made deterministic in their tests (note of 2026-12-04, fourth session).
    maxWorkers: 2,
    minWorkers: 1,
    reporters: ['default'],
  },
});
