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
    // Three test files at a time on two cores: most of a file's time is spent waiting on the
    // processes it starts (builds, instances, database servers, a browser), and with two the run
    // took 1,638 s of vitest time, most of CI's 40 minutes. Files share nothing (see test/support);
    // the answers that raced under load were fixed in Berth or made deterministic in their tests.
    maxWorkers: 3,
    minWorkers: 1,
    // The slowest files start first, so none of them is left running alone at the end.
    sequence: { sequencer: SlowFirstSequencer },
    reporters: ['default'],
  },
});
