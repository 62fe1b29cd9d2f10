// Benchmark (not a test) of zero-downtime traffic changes: a constant ~300 requests/s through
// Berth's edge (one keep-alive agent) while 20 rollouts, promotes and rollbacks happen between
// warm revisions, against a baseline of the same load with no change, in the same run. Prints
// failed/non-2xx responses (target 0) and, per promote, the time from the call to the first
// response served by the promoted revision (target <= 100 ms).
// Two scenarios by default: 1 replica (a promote only re-points traffic to a warm instance) and
// 2 replicas of an app that dies at once on SIGTERM (every switch starts an instance and stops
// one of the demoted revision: the unroute-then-drain path under load).
// Then the restart scenario (restart-scenario.ts): 5 restarts of the Apps API (no new revision) of
// 2 replicas of each app kind, under the same load.
// Run: npx tsx bench/zero-downtime.ts   [--replicas N --app graceful|abrupt] [--seconds S] [--rate R]
//      [--network namespace|shared]: instances in network namespaces of their own (the default
//      where the machine allows) or on the shared host network (BERTH_INSTANCE_CIDR=off)
//      [--slow-ms N]: every 10th request takes N ms in the app (requests in flight while instances stop)
//      [--edge-workers N]: the edge on N worker processes (BERTH_EDGE_WORKERS; default 2)
//      [--only restart]: the restart scenario alone
//      [--runtime docker]: instances as containers, on a dockerd this bench starts (test/support/dockerd.ts)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { startDockerd } from '../test/support/dockerd.js';
import { startBerth } from '../src/main.js';
import type { RunningBerth } from '../src/main.js';
import { writeBenchApp } from './zero-downtime/bench-app.js';
import type { AppKind } from './zero-downtime/bench-app.js';
import { startConstantLoad } from './zero-downtime/constant-load.js';
import type { Outcome } from './zero-downtime/constant-load.js';
import { runRestartScenario } from './zero-downtime/restart-scenario.js';
import { describePhase, percentile, summarize } from './zero-downtime/summary.js';
import type { PhaseSummary } from './zero-downtime/summary.js';

const { values: args } = parseArgs({
  options: {
    replicas: { type: 'string' },
    app: { type: 'string', default: 'graceful' },
    seconds: { type: 'string', default: '10' },
    rate: { type: 'string', default: '300' },
    'slow-ms': { type: 'string', default: '0' },
    network: { type: 'string', default: 'namespace' },
    'edge-workers': { type: 'string', default: '2' },
    only: { type: 'string' },
    runtime: { type: 'string', default: 'process' },
  },
});
const baselineSeconds = Number(args.seconds);
const ratePerSecond = Number(args.rate);
const slowMs = Number(args['slow-ms']);
const pathOf = (n: number) => (slowMs > 0 && n % 10 === 0 ? `/slow?ms=${slowMs}` : '/');
const pauseBetweenOpsMs = 750;

interface Scenario {
  replicas: number;
  app: AppKind;
}
const scenarios: Scenario[] = args.replicas
  ? [{ replicas: Number(args.replicas), app: args.app === 'abrupt' ? 'abrupt' : 'graceful' }]
  : [
      { replicas: 1, app: 'graceful' },
      { replicas: 2, app: 'abrupt' },
    ];

type Op = 'promote' | 'rollback' | 'rollout';
const ops: Op[] = Array.from({ length: 4 }, (): Op[] => ['promote', 'rollback', 'promote', 'rollback', 'rollout']).flat();

interface Switch {
  op: Op;
  revision: string;
  callMs: number;
  /** From the call to the first response the new revision served; null if none came. */
  firstServedMs: number | null;
}

interface Bench {
  berth: RunningBerth;
  key: string;
  ws: string;
  root: string;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function api(b: Bench, method: string, urlPath: string, body?: unknown): Promise<any> {
  const res = await fetch(`${b.berth.apiUrl}/api/v1/workspaces/${b.ws}${urlPath}`, {
    method,
    headers: { authorization: `Bearer ${b.key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const parsed: unknown = await res.json().catch(() => null);
  if (!res.ok) throw new Error(`${method} ${urlPath}: ${res.status} ${JSON.stringify(parsed)}`);
  return parsed;
}

function firstServed(outcomes: readonly Outcome[], revision: string, since: number): number | null {
  let first: number | null = null;
  for (const o of outcomes) if (o.revision === revision && o.doneAt >= since && (first === null || o.doneAt < first)) first = o.doneAt;
  return first === null ? null : first - since;
}

async function loadFor(b: Bench, host: string, during: (outcomes: readonly Outcome[]) => Promise<void>): Promise<{ summary: PhaseSummary; outcomes: Outcome[] }> {
  const load = startConstantLoad({ port: b.berth.edgePort, host, ratePerSecond, pathOf });
  const start = performance.now();
  await during(load.outcomes);
  const sendingSeconds = (performance.now() - start) / 1000;
  await load.stop();
  return { summary: summarize(load.outcomes, sendingSeconds), outcomes: load.outcomes };
}

async function runScenario(b: Bench, scenario: Scenario): Promise<void> {
  const slug = `zd-r${scenario.replicas}-${scenario.app}`;
  const app = await api(b, 'POST', '/apps', { name: slug, slug, visibility: 'public' });
  if (scenario.replicas !== 1) await api(b, 'POST', '/deploy/scale', { appId: app.id, replicas: scenario.replicas });
  let artifacts = 0;
  const rollout = async () => {
    artifacts++;
    const dir = writeBenchApp(b.root, `${slug}-v${artifacts}`, scenario.app);
    const result = await b.berth.core.deployArtifact({ appId: app.id, artifactDir: dir, command: ['/usr/bin/node', 'server.js'], imageRef: `dir:v${artifacts}`, triggerType: 'MANUAL' });
    if (result.deployment.status !== 'succeeded' || !result.revision) throw new Error(`rollout failed: ${result.deployment.error}`);
    return result.revision.name;
  };
  const history = [await rollout(), await rollout()];
  const slow = slowMs > 0 ? `, every 10th request ${slowMs} ms in the app` : '';
  console.log(`\nscenario: replicas ${scenario.replicas}, ${scenario.app} app (${ratePerSecond} requests/s through the edge${slow})`);

  const baseline = await loadFor(b, `${slug}.localhost`, () => sleep(baselineSeconds * 1000));
  const switches: Switch[] = [];
  const changes = await loadFor(b, `${slug}.localhost`, async (outcomes) => {
    await sleep(1000);
    for (const op of ops) {
      const t0 = performance.now();
      // promote: the other of the two newest revisions; rollback: back again; rollout: a new revision.
      const revision = op === 'rollout' ? await rollout() : (history.at(-2) ?? '');
      if (op !== 'rollout') await api(b, 'POST', `/deploy/revisions/${revision}/promote`);
      history.push(revision);
      const callMs = performance.now() - t0;
      await sleep(pauseBetweenOpsMs);
      switches.push({ op, revision, callMs, firstServedMs: firstServed(outcomes, revision, t0) });
    }
    await sleep(1000);
  });
  report(baseline.summary, changes.summary, switches);
  await api(b, 'POST', '/deploy/scale', { appId: app.id, replicas: 0 });
}

function report(baseline: PhaseSummary, changes: PhaseSummary, switches: Switch[]): void {
  console.log(describePhase('baseline', baseline));
  console.log(describePhase('changes', changes));
  for (const [i, s] of switches.entries()) {
    const first = s.firstServedMs === null ? 'never' : `${s.firstServedMs.toFixed(1)} ms`;
    console.log(`  ${String(i + 1).padStart(2)}. ${s.op.padEnd(8)} → ${s.revision}: call ${s.callMs.toFixed(1)} ms, first response from it after ${first}`);
  }
  const promotes = switches.filter((s) => s.op !== 'rollout').map((s) => s.firstServedMs ?? Infinity);
  const rollouts = switches.filter((s) => s.op === 'rollout').map((s) => s.firstServedMs ?? Infinity);
  const ms = (values: number[]) => `p50 ${percentile(values, 50).toFixed(1)} ms, max ${Math.max(...values).toFixed(1)} ms`;
  console.log(`promote/rollback → first response from the promoted revision: ${ms(promotes)} (target <= 100 ms; ${promotes.length} switches)`);
  console.log(`rollout (start, ready, switch) → first response from the new revision: ${ms(rollouts)}`);
  console.log(`failed or non-2xx: ${changes.failed + changes.non2xx} during changes (target 0), ${baseline.failed + baseline.non2xx} in the baseline`);
  console.log(`latency ratio changes/baseline: p50 ${(changes.p50Ms / baseline.p50Ms).toFixed(2)}, p99 ${(changes.p99Ms / baseline.p99Ms).toFixed(2)}`);
}

async function main(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-zd-'));
  const dockerd = args.runtime === 'docker' ? await startDockerd('bench-zd', 6) : null;
  const config = loadConfig({
    BERTH_PORT: '0',
    BERTH_EDGE_PORT: '0',
    BERTH_DATA_DIR: path.join(root, 'data'),
    BERTH_LOG_LEVEL: 'warn',
    BERTH_EDGE_WORKERS: args['edge-workers'],
    BERTH_CGROUP_NAME: `berth-zd-${path.basename(root).slice(-6).toLowerCase().replace(/[^a-z0-9]/g, 'x')}`,
    ...(args.network === 'shared' ? { BERTH_INSTANCE_CIDR: 'off' } : {}),
    ...(dockerd ? { BERTH_RUNTIME: 'docker', DOCKER_HOST: dockerd.host } : {}),
  });
  const berth = await startBerth(config);
  try {
    const key = fs.readFileSync(path.join(config.dataDir, 'admin-key'), 'utf8').trim();
    console.log(`zero-downtime bench: ${berth.runtime.name} driver, isolation ${JSON.stringify(berth.runtime.isolation)}, edge workers ${config.edge.workers}`);
    if (args.only !== 'restart') for (const scenario of scenarios) await runScenario({ berth, key, ws: berth.bootstrap?.workspaceId ?? '', root }, scenario);
    for (const app of ['graceful', 'abrupt'] as const) {
      await runRestartScenario({ berth, key, root, ratePerSecond, baselineSeconds, pathOf }, { replicas: 2, app });
    }
  } finally {
    await berth.close();
    await dockerd?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
