// The docker driver against the shared runtime conformance suite, on a dockerd this file starts
// (its own data root and socket) and stops. Trees run in the tree image the driver makes from the
// host's node; the same fixture app, the same expectations as the process driver.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Docker from 'dockerode';
import type { Runtime } from '../../src/core/ports/runtime.js';
import { createDockerRuntime } from '../../src/engine/runtime/docker/create-docker-runtime.js';
import { dockerClient } from '../../src/engine/runtime/docker/docker-client.js';
import { runtimeConformance } from '../../src/engine/runtime/conformance.js';
import { dockerdMissing, startDockerd, type TestDockerd } from '../support/dockerd.js';
import { quietLogger } from './process-harness.js';

const missing = dockerdMissing();
const CANARY = 'BERTH_TEST_PARENT_CANARY';
let dockerd: TestDockerd | null = null;

beforeAll(async () => {
  process.env[CANARY] = 'must-not-leak';
  if (!missing) dockerd = await startDockerd('conformance', 0);
}, 60_000);

afterAll(async () => {
  delete process.env[CANARY];
  await dockerd?.stop();
}, 30_000);

describe.skipIf(missing !== null)(`docker driver${missing ? ` (skipped: ${missing})` : ''}`, () => {
  it(`talks to the engine through dockerode ${JSON.stringify(Docker.name)} on Node ${process.version}`, async () => {
    const version = await dockerClient(dockerd?.host ?? null).version();
    expect(Number(version.ApiVersion)).toBeGreaterThanOrEqual(1.41);
    expect(process.versions.node.split('.')[0]).toBe('20');
  });

  runtimeConformance(
    'docker',
    async ({ stateKey }): Promise<Runtime> =>
      createDockerRuntime({ dockerHost: dockerd?.host ?? null, tag: `conf${stateKey.replace(/[^a-z0-9]/g, '')}`, logger: quietLogger() }),
    { parentEnvCanary: CANARY },
  );
});
