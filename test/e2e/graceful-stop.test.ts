// SIGTERM to Berth (what `docker stop` and systemd send), with a request that never finishes in
// front of an app that ignores SIGTERM: the instance is killed once BERTH_DRAIN_TIMEOUT_MS is up,
// the request gets a 502, Berth exits 0 and leaves no process. The time it took is printed.
import { afterAll, describe, expect, it } from 'vitest';
import { startTestBerth } from '../support/test-berth.js';
import { createApp, deployDir } from './support/berth-actions.js';
import { killScope } from './support/berth-process.js';
import { edgeRequest, until } from './support/edge-client.js';
import { instanceApp } from './support/instance-app.js';
import { processesOfDir } from './support/proc-scan.js';

const drainMs = 4_000;

describe('Berth stops on SIGTERM whatever its apps do', () => {
  const scope = killScope('stop');
  afterAll(() => scope.cleanup());

  it('with a request that never ends, in front of an app that ignores SIGTERM', { timeout: 180_000 }, async () => {
    const { dataDir, cgroupName } = scope;
    const setup = await startTestBerth('sqlite', { dataDir, env: { BERTH_CGROUP_NAME: cgroupName } });
    const appDir = instanceApp('stubborn', { ignoreSigterm: true });
    const appId = await createApp(setup, { name: 'Stubborn', slug: 'stubborn', visibility: 'public' });
    expect((await deployDir(setup, appId, appDir, 'dir:stubborn')).deployment.status).toBe('succeeded');
    await setup.close();

    const env: Record<string, string> = { ...(await scope.processEnv()), BERTH_DRAIN_TIMEOUT_MS: String(drainMs) };
    const edgePort = Number(env.BERTH_EDGE_PORT);
    const berth = await scope.start(env);
    const served = await until(() => edgeRequest(edgePort, 'stubborn.localhost').catch(() => null), (r) => r?.status === 200, 60_000, 50);
    expect(served?.status).toBe(200);

    const endless = edgeRequest(edgePort, 'stubborn.localhost', { path: '/slow?ms=600000' }).catch((error: Error) => error);
    await new Promise((r) => setTimeout(r, 500));
    const stopAt = Date.now();
    berth.child.kill('SIGTERM');
    const code = await berth.exited;
    const stopMs = Date.now() - stopAt;
    process.stdout.write(`SIGTERM with a request in flight and an app ignoring SIGTERM: Berth exited after ${stopMs} ms (drain timeout ${drainMs} ms)\n`);
    expect(code).toBe(0);
    // About one drain (the instances are stopped first, then the edge has nothing left in flight);
    // the bound is loose, for a loaded machine: it catches a drain that never ends, not speed.
    expect(stopMs).toBeLessThan(3 * drainMs);
    expect(processesOfDir(appDir)).toEqual([]);
    const cut = await endless;
    process.stdout.write(`the endless request: ${cut instanceof Error ? cut.message : `HTTP ${cut.status} ${cut.body.slice(0, 80)}`}\n`);
    expect(cut instanceof Error ? 0 : cut.status).not.toBe(200);
  });
});
