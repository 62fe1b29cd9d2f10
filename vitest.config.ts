import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.ts'],
    setupFiles: ['test/support/artifact-cleanup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two test files at a time, also on a 2-core CI machine (vitest's default there is one). Each
    // file's Berths, daemons, ports, cgroups, network namespaces and databases are its own (see
    // test/support), so files do not see each other.
    maxWorkers: 2,
    minWorkers: 1,
    reporters: ['default'],
  },
});
