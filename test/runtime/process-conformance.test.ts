// The process driver against the shared runtime conformance suite, twice: with whatever
// isolation this machine allows (sandbox + cgroups in CI) and with all isolation off.
import { afterAll, beforeAll } from 'vitest';
import { runtimeConformance } from '../../src/engine/runtime/conformance.js';
import { createHarness, type Harness } from './process-harness.js';

const CANARY = 'BERTH_TEST_PARENT_CANARY';
const harnesses: Harness[] = [];

beforeAll(() => {
  process.env[CANARY] = 'must-not-leak';
});

afterAll(async () => {
  delete process.env[CANARY];
  await Promise.all(harnesses.map((h) => h.teardown()));
});

for (const isolation of ['auto', 'off'] as const) {
  let harness: Harness | undefined;
  runtimeConformance(
    `process (isolation ${isolation})`,
    async ({ stateKey }) => {
      if (!harness) {
        harness = await createHarness({ isolation, tag: `conf-${isolation}` });
        harnesses.push(harness);
      }
      return harness.driver(stateKey);
    },
    { parentEnvCanary: CANARY },
  );
}
