// The docker driver against the shared runtime conformance suite, on a dockerd this file starts
// (its own data root and socket) and stops. Trees run in the tree image the driver makes from the
// host's node; the same fixture app, the same expectations as the process driver. And what the
// docker driver adds: an app's network of its own, off the host's services.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Docker from 'dockerode';
import type { Runtime } from '../../src/core/ports/runtime.js';
import { createDockerRuntime } from '../../src/engine/runtime/docker/create-docker-runtime.js';
import { dockerClient } from '../../src/engine/runtime/docker/docker-client.js';
import { runtimeConformance } from '../../src/engine/runtime/conformance.js';
import { FIXTURE_FILE, writeFixtureApp } from '../../src/engine/runtime/conformance-fixture.js';
import { dockerdMissing, startDockerd, type TestDockerd } from '../support/dockerd.js';
import { reservePort } from '../support/reserved-port.js';
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

  it('keeps an instance off the host: no host service on any address, no host loopback; other instances of its app are reachable', async () => {
    const driver = await createDockerRuntime({ dockerHost: dockerd?.host ?? null, tag: 'confnet', logger: quietLogger() });
    const hostService = createServer((socket) => socket.on('error', () => undefined).end('host\n'));
    await new Promise<void>((resolve) => hostService.listen(0, '0.0.0.0', resolve));
    const port = (hostService.address() as { port: number }).port;
    const root = await mkdtemp(join(tmpdir(), 'berth-docker-net-'));
    try {
      const start = async (n: number) => {
        const spec = {
          instanceId: `net-${n}`,
          appId: 'net-app',
          revisionName: 'net-app-00001',
          artifact: { kind: 'tree' as const, digest: `sha256:net-${n}`, dir: await writeFixtureApp(join(root, `net-${n}`)) },
          command: ['/usr/bin/node', FIXTURE_FILE, 'http'],
          env: {},
          listens: true,
          limits: { memoryMi: 128, cpuMillicores: 500, pids: 64 },
        };
        await driver.start(spec);
        await driver.waitReady(spec.instanceId, { kind: 'http', path: '/', timeoutMs: 1000 }, 15_000);
        const status = await driver.status(spec.instanceId);
        if (!status?.address) throw new Error('no address');
        return status.address;
      };
      const [a, b] = [await start(1), await start(2)];
      const connect = async (host: string, to: number) =>
        (await (await fetch(`http://${a.host}:${a.port}/connect?host=${host}&port=${to}&timeout=1000`)).json()) as { ok: boolean };
      const gateway = a.host.replace(/\.\d+$/, '.1');
      expect(await connect(gateway, port)).toMatchObject({ ok: false });
      expect(await connect('127.0.0.1', port)).toMatchObject({ ok: false });
      expect(await connect(b.host, b.port)).toEqual({ ok: true });
      // The host (the edge) still reaches the instance.
      expect((await fetch(`http://${a.host}:${a.port}/`)).status).toBe(200);
    } finally {
      await driver.close({ drainTimeoutMs: 500 });
      hostService.close();
      await rm(root, { recursive: true, force: true });
    }
  });

  runtimeConformance(
    'docker',
    async ({ stateKey }): Promise<Runtime> =>
      createDockerRuntime({ dockerHost: dockerd?.host ?? null, tag: `conf${stateKey.replace(/[^a-z0-9]/g, '')}`, logger: quietLogger() }),
    { parentEnvCanary: CANARY, appPort: reservePort },
  );
});
