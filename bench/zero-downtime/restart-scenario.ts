// The restart scenario of the zero-downtime bench: the Apps API's POST /api/v1/apps/{id}/restart
// (every instance replaced one at a time, no new revision) called 5 times under the same constant
// load as the other scenarios, against a baseline of that load with no change. Prints failed and
// non-2xx responses (target 0), each restart's duration and the latency ratio to the baseline.
import { performance } from 'node:perf_hooks';
import type { RunningBerth } from '../../src/main.js';
import type { AppKind } from './bench-app.js';
import { writeBenchApp } from './bench-app.js';
import { startConstantLoad } from './constant-load.js';
import { describePhase, percentile, summarize } from './summary.js';

export interface RestartBench {
  berth: RunningBerth;
  key: string;
  root: string;
  ratePerSecond: number;
  baselineSeconds: number;
  pathOf: (n: number) => string;
}

const restarts = 5;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function v1(b: RestartBench, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${b.berth.apiUrl}/api/v1/apps${path}`, {
    method,
    headers: { authorization: `Bearer ${b.key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const parsed: unknown = await res.json().catch(() => null);
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(parsed)}`);
  return parsed;
}

export async function runRestartScenario(b: RestartBench, scenario: { replicas: number; app: AppKind }): Promise<void> {
  const name = `zd-restart-r${scenario.replicas}-${scenario.app}`;
  const app = await v1(b, 'POST', '', { name, source_type: 'upload', replicas: scenario.replicas });
  const dir = writeBenchApp(b.root, `${name}-v1`, scenario.app);
  const deployed = await b.berth.core.deployArtifact({ appId: app.id, artifactDir: dir, command: ['/usr/bin/node', 'server.js'], imageRef: 'dir:restart-v1', triggerType: 'MANUAL' });
  if (deployed.deployment.status !== 'succeeded') throw new Error(`deploy failed: ${deployed.deployment.error}`);
  console.log(`\nscenario: restart, replicas ${scenario.replicas}, ${scenario.app} app (${b.ratePerSecond} requests/s through the edge; ${restarts} restarts)`);
  const host = `${app.slug}.localhost`;
  const phase = async (during: () => Promise<void>) => {
    const load = startConstantLoad({ port: b.berth.edgePort, host, ratePerSecond: b.ratePerSecond, pathOf: b.pathOf });
    const start = performance.now();
    await during();
    const seconds = (performance.now() - start) / 1000;
    await load.stop();
    return summarize(load.outcomes, seconds);
  };
  const baseline = await phase(() => sleep(b.baselineSeconds * 1000));
  const durations: number[] = [];
  let replaced = 0;
  const changes = await phase(async () => {
    await sleep(1000);
    for (let i = 0; i < restarts; i++) {
      const t0 = performance.now();
      const result = await v1(b, 'POST', `/${app.slug}/restart`);
      durations.push(performance.now() - t0);
      replaced += result.restarted.length;
      await sleep(750);
    }
    await sleep(1000);
  });
  const revisions = (await v1(b, 'GET', `/${app.slug}/deployments`)).length;
  console.log(describePhase('baseline', baseline));
  console.log(describePhase('restarts', changes));
  console.log(`restart call (all ${scenario.replicas} instances replaced): p50 ${percentile(durations, 50).toFixed(0)} ms, max ${Math.max(...durations).toFixed(0)} ms; ${replaced} instances replaced; deployments after: ${revisions} (no new one)`);
  console.log(`failed or non-2xx: ${changes.failed + changes.non2xx} during restarts (target 0), ${baseline.failed + baseline.non2xx} in the baseline`);
  console.log(`latency ratio restarts/baseline: p50 ${(changes.p50Ms / baseline.p50Ms).toFixed(2)}, p99 ${(changes.p99Ms / baseline.p99Ms).toFixed(2)}`);
  await v1(b, 'PATCH', `/${app.slug}`, { replicas: 0 });
}
