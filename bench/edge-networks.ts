// Benchmark (not a test) of the builtin edge: requests/s and p50/p99 of a tiny app reached
// directly, through Berth's edge and through nginx as a plain keep-alive reverse proxy, with wrk
// as the load generator. Each server runs in its own process; every phase is a few seconds.
// Then the same app started by the process runtime twice, on the shared host network and in a
// network namespace of its own (veth, DNAT to 127.0.0.1 inside), each behind its own edge: the
// throughput ratio namespace / shared is the cost of the isolation.
// Run: npx tsx bench/edge-networks.ts   (root for namespaces; `direct` also runs the edge/nginx table of
// the single-process edge; bench/edge.ts is the full edge vs nginx comparison with workers and TLS)
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Runtime } from '../src/core/ports/runtime.js';
import { createEdge } from '../src/edge/create-edge.js';
import {
  body,
  connections,
  cpuSeconds,
  cpuTimes,
  exitOnSignal,
  has,
  medianRow,
  serveApp,
  startChild,
  wrk,
  type Row,
} from './support/edge-bench.js';
import { createProcessRuntime } from '../src/engine/runtime/process/create-process-runtime.js';
import { nginxWorker, startPlainNginx } from './support/nginx-conf.js';

const phaseSeconds = 3;
/** Targets are measured in interleaved rounds and the median kept: the machine may be shared. */
const rounds = 3;
/** The network comparison looks for a difference of a few percent: more rounds against the noise. */
const networkRounds = 7;

/** Child mode: the edge, routing the bench host to the app (on `appHost`, loopback by default). */
/** This script in child mode: its one printed port. */
async function startOwnChild(args: string[]): Promise<{ child: ChildProcess; port: number }> {
  const { child, ports } = await startChild(fileURLToPath(import.meta.url), args);
  return { child, port: ports[0] ?? 0 };
}

async function serveEdge(appPort: number, appHost = '127.0.0.1'): Promise<void> {
  const quiet = { info() {}, warn() {}, error() {} };
  const edge = createEdge({ baseDomain: 'apps.test', resolveKey: () => Promise.resolve(null), logger: quiet });
  const targets = [
    { revisionName: 'bench-00001', percent: 100, tag: null, endpoints: [{ host: appHost, port: appPort }] },
  ];
  const app = {
    appId: 'app_bench',
    workspaceId: 'ws_bench',
    slug: 'bench',
    visibility: 'public' as const,
    targets,
    shares: [],
  };
  await edge.setRoutes({ version: 1, apps: new Map([['bench', app]]), domains: new Map() });
  process.stdout.write(`${await edge.listen(0, '127.0.0.1')}\n`);
  exitOnSignal(() => edge.close());
}

interface Target {
  name: string;
  port: number;
  /** Where wrk connects (127.0.0.1 unless an app is measured directly in its namespace). */
  address?: string;
  /** The process doing the proxying (null for direct). */
  proxyPid: number | null;
  /** The app's process, when each target has its own app. */
  appPid?: number;
}

function measureOnce(target: Target, sharedAppPid: number): Row {
  const { name, port, proxyPid } = target;
  const appPid = target.appPid ?? sharedAppPid;
  const at = target.address ?? '127.0.0.1';
  wrk(`http://${at}:${port}/`, connections, 1);
  const proxyTimes = (): { user: number; system: number } => (proxyPid === null ? { user: 0, system: 0 } : cpuTimes(proxyPid));
  const before = { proxy: proxyTimes(), app: cpuSeconds(appPid) };
  const load = wrk(`http://${at}:${port}/`, connections, phaseSeconds);
  const requests = load.rps * phaseSeconds;
  const after = proxyTimes();
  const proxySysUs = ((after.system - before.proxy.system) / requests) * 1e6;
  const proxyCpuUs = ((after.user - before.proxy.user) / requests) * 1e6 + proxySysUs;
  const appCpuUs = ((cpuSeconds(appPid) - before.app) / requests) * 1e6;
  const single = wrk(`http://${at}:${port}/`, 1, phaseSeconds);
  return { name, load, single, proxyCpuUs, proxySysUs, appCpuUs };
}

function measure(targets: Target[], appPid: number, roundCount = rounds): Row[] {
  const samples = targets.map(() => [] as Row[]);
  for (let round = 0; round < roundCount; round++) {
    targets.forEach((target, i) => samples[i]?.push(measureOnce(target, appPid)));
  }
  return samples.map(medianRow);
}

function printTable(rows: Row[]): void {
  const pad = (s: string, n: number): string => s.padStart(n);
  const head = [
    `req/s @${connections}c`,
    'p50 ms',
    'p99 ms',
    'req/s @1c',
    'p50 ms @1c',
    'p99 ms @1c',
    'proxy cpu us/req',
    'app cpu us/req',
  ];
  console.log(`\n${'target'.padEnd(10)} ${head.map((h) => pad(h, Math.max(h.length, 8))).join(' ')}`);
  for (const { name, load, single, proxyCpuUs, appCpuUs } of rows) {
    const cells = [
      load.rps.toFixed(0),
      load.p50Ms.toFixed(3),
      load.p99Ms.toFixed(3),
      single.rps.toFixed(0),
      single.p50Ms.toFixed(3),
      single.p99Ms.toFixed(3),
      proxyCpuUs.toFixed(1),
      appCpuUs.toFixed(1),
    ];
    console.log(`${name.padEnd(10)} ${cells.map((c, i) => pad(c, Math.max(head[i]?.length ?? 0, 8))).join(' ')}`);
  }
}

async function main(): Promise<void> {
  if (!has('wrk')) {
    console.log('bench/edge: wrk is not installed (apt-get install -y wrk); nothing measured.');
    return;
  }
  const children: ChildProcess[] = [];
  let nginxDir: string | null = null;
  try {
    const app = await startOwnChild(['app']);
    children.push(app.child);
    const edge = await startOwnChild(['edge', String(app.port)]);
    children.push(edge.child);
    const appPid = app.child.pid ?? 0;
    const targets: Target[] = [
      { name: 'direct', port: app.port, proxyPid: null },
      { name: 'edge', port: edge.port, proxyPid: edge.child.pid ?? null },
    ];
    if (has('nginx')) {
      const nginx = await startPlainNginx(app.port);
      children.push(nginx.child);
      nginxDir = nginx.dir;
      targets.push({ name: 'nginx', port: nginx.port, proxyPid: nginxWorker(nginx.child.pid ?? 0) });
    } else {
      console.log('bench/edge: nginx is not installed (apt-get install -y nginx); comparing with direct only.');
    }
    console.log(
      `bench/edge: ${targets.length} targets, ${rounds} interleaved rounds of ${phaseSeconds} s at ${connections} connections and ${phaseSeconds} s at 1; medians shown.`,
    );
    const rows = measure(targets, appPid);
    printTable(rows);
    const [direct, viaEdge, viaNginx] = rows;
    if (direct !== undefined && viaEdge !== undefined) {
      const added = viaEdge.single.p50Ms - direct.single.p50Ms;
      console.log(`\nadded p50 at 1 connection, edge vs direct: ${added.toFixed(3)} ms (target <= 0.300)`);
      console.log(`edge / direct throughput: ${(viaEdge.load.rps / direct.load.rps).toFixed(2)}`);
    }
    if (viaNginx !== undefined && viaEdge !== undefined && direct !== undefined) {
      console.log(`edge / nginx throughput: ${(viaEdge.load.rps / viaNginx.load.rps).toFixed(2)} (target >= 0.60)`);
      console.log(
        `added p50 at 1 connection, nginx vs direct: ${(viaNginx.single.p50Ms - direct.single.p50Ms).toFixed(3)} ms`,
      );
      console.log(`proxy CPU per request, edge / nginx: ${(viaEdge.proxyCpuUs / viaNginx.proxyCpuUs).toFixed(1)}x`);
    }
  } finally {
    for (const child of children)
      if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGTERM');
    if (nginxDir !== null) rmSync(nginxDir, { recursive: true, force: true });
  }
}

/** The bench app as an artifact the runtime can start: the same server, on PORT. */
function benchArtifact(dir: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'server.js'),
    `const body = ${JSON.stringify(body)};
const server = require('node:http').createServer((_req, res) => { res.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body) }); res.end(body); });
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`,
  );
  return dir;
}

/** The app started by the process runtime on the shared network and in a namespace, each behind an edge. */
async function compareNetworks(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'berth-bench-netns-'));
  const quiet = { info() {}, warn() {}, error() {} };
  const runtimes: Runtime[] = [];
  const children: ChildProcess[] = [];
  try {
    const targets: Target[] = [];
    for (const network of ['off', 'required'] as const) {
      const name = network === 'off' ? 'shared' : 'namespace';
      const runtime = await createProcessRuntime({
        stateDir: join(root, `state-${name}`),
        hiddenPaths: [join(root, 'hidden')],
        logger: quiet,
        cgroupRoot: `berth-bench-edge-${name}-${process.pid}`,
        sandbox: 'off',
        cgroups: 'off',
        network,
      });
      runtimes.push(runtime);
      const status = await runtime.start({
        instanceId: `bench-${name}`,
        appId: `bench-${name}`,
        revisionName: 'bench-00001',
        artifact: { kind: 'tree', digest: `sha256:bench-${name}`, dir: benchArtifact(join(root, name)) },
        command: [process.execPath, 'server.js'],
        env: {},
        listens: true,
        limits: { memoryMi: 0, cpuMillicores: 0, pids: 0 },
      });
      await runtime.waitReady(status.instanceId, { kind: 'http', path: '/', timeoutMs: 2000 }, 20_000);
      const address = (await runtime.status(status.instanceId))?.address;
      if (!address) throw new Error('the bench app has no address');
      const edge = await startOwnChild(['edge', String(address.port), address.host]);
      children.push(edge.child);
      // The app's own process is the runtime's child (sandbox off): its pid is the instance's.
      targets.push({
        name: `edge→${name}`,
        port: edge.port,
        proxyPid: edge.child.pid ?? null,
        appPid: runtime.hostPid(status.instanceId) ?? 0,
      });
    }
    console.log(
      `\nbench/edge: the same app started by the process runtime on the shared network and in a network namespace (${networkRounds} interleaved rounds).`,
    );
    const rows = measure(targets, 0, networkRounds);
    printTable(rows);
    const [shared, namespaced] = rows;
    if (shared && namespaced) {
      console.log(
        `\nnamespace / shared throughput @${connections}c: ${(namespaced.load.rps / shared.load.rps).toFixed(3)} (target >= 0.90)`,
      );
      console.log(
        `added p50 at 1 connection, namespace vs shared: ${(namespaced.single.p50Ms - shared.single.p50Ms).toFixed(3)} ms`,
      );
    }
  } catch (error) {
    console.log(`bench/edge: network comparison skipped: ${(error as Error).message}`);
  } finally {
    for (const child of children)
      if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGTERM');
    for (const runtime of runtimes) await runtime.close({ drainTimeoutMs: 1000 });
    rmSync(root, { recursive: true, force: true });
  }
}

const [mode, arg, arg2] = process.argv.slice(2);
if (mode === 'app') await serveApp();
else if (mode === 'edge') await serveEdge(Number(arg), arg2);
else if (mode === 'direct') await main();
else await compareNetworks();
