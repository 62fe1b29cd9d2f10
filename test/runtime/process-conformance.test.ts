// The process driver against the shared runtime conformance suite, three times: with whatever
// isolation this machine allows (sandbox, cgroups and a network namespace per instance in CI),
// the same on the shared host network, and with all isolation off.
import { afterAll, beforeAll } from 'vitest';
import { runtimeConformance } from '../../src/engine/runtime/conformance.js';
import { reservePort } from '../support/reserved-port.js';
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

const variants = [
  { name: 'isolation auto, network namespaces', isolation: 'auto', network: 'auto', tag: 'conf-ns' },
  { name: 'isolation auto, shared network', isolation: 'auto', network: 'off', tag: 'conf-shared' },
  { name: 'isolation off', isolation: 'off', network: 'off', tag: 'conf-off' },
] as const;

for (const variant of variants) {
  let harness: Harness | undefined;
  runtimeConformance(
    `process (${variant.name})`,
    async ({ stateKey }) => {
      if (!harness) {
        harness = await createHarness({ isolation: variant.isolation, network: variant.network, tag: variant.tag });
        harnesses.push(harness);
      }
      return harness.driver(stateKey);
    },
    { parentEnvCanary: CANARY, appPort: reservePort },
  );
}
