// Benchmark (not a test) of the edge in front of the docker driver, as a ratio to the process
// driver (issue 11): the same tiny app, deployed as the same tree artifact on a Berth of each
// driver (both in this process, the docker one on a dockerd this bench starts), loaded with wrk
// through each Berth's edge and, as a reference, directly at the instance's address (the
// container's on its app bridge; the sandbox's in its network namespace). Targets are measured in
// interleaved rounds and the median of each figure kept: the machine may be shared, so run it
// several times. The edge runs in this process (or its workers), so wrk runs without blocking it.
// Run: npx tsx bench/edge-docker.ts [--rounds 3] [--seconds 4] [--connections 32]
//   (apt-get install -y wrk docker.io; needs root for dockerd)
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { startBerth, type RunningBerth } from '../src/main.js';
import { startDockerd } from '../test/support/dockerd.js';
import { body, has, median, wrkAsync, type Figures } from './support/edge-bench.js';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '4' },
    connections: { type: 'string', default: '32' },
  },
});
const rounds = Number(args.rounds);
const seconds = Number(args.seconds);
const conns = Number(args.connections);
const slug = 'edge-bench';

/** The app of bench/support/edge-bench.ts as a tree artifact: the same body, keep-alive. */
function writeApp(root: string): string {
  const dir = fs.mkdtempSync(path.join(root, 'app-'));
  fs.chmodSync(dir, 0o755);
  fs.writeFileSync(
    path.join(dir, 'server.js'),
    `const body = ${JSON.stringify(body)};
const server = require('http').createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.keepAliveTimeout = 60000;
server.listen(Number(process.env.PORT));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`,
  );
  return dir;
}

interface Target {
  name: string;
  berth: RunningBerth;
  /** The instance's own address (no edge). */
  direct: string;
}

interface Started {
  berth: RunningBerth;
  dataDir: string;
  edgeWorkers: number;
}

async function startOne(root: string, name: string, env: Record<string, string>): Promise<Started> {
  const dataDir = path.join(root, `data-${name}`);
  const config = loadConfig({
    BERTH_PORT: '0',
    BERTH_EDGE_PORT: '0',
    BERTH_DATA_DIR: dataDir,
    BERTH_LOG_LEVEL: 'warn',
    BERTH_CGROUP_NAME: `berth-eb-${name}-${path.basename(root).slice(-6).toLowerCase().replace(/[^a-z0-9]/g, 'x')}`,
    ...env,
  });
  return { berth: await startBerth(config), dataDir, edgeWorkers: config.edge.workers };
}

async function deployOn({ berth, dataDir }: Started, root: string, name: string): Promise<Target> {
  const key = fs.readFileSync(path.join(dataDir, 'admin-key'), 'utf8').trim();
  const ws = berth.bootstrap?.workspaceId ?? '';
  const res = await fetch(`${berth.apiUrl}/api/v1/workspaces/${ws}/apps`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: slug, slug, visibility: 'public' }),
  });
  if (!res.ok) throw new Error(`${name}: create app: ${res.status} ${await res.text()}`);
  const app = (await res.json()) as { id: string };
  const result = await berth.core.deployArtifact({ appId: app.id, artifactDir: writeApp(root), command: ['/usr/bin/node', 'server.js'], imageRef: 'dir:edge-bench', triggerType: 'MANUAL' });
  if (result.deployment.status !== 'succeeded') throw new Error(`${name}: deploy failed: ${result.deployment.error}`);
  const instance = (await berth.runtime.list()).find((i) => i.appId === app.id && i.address);
  if (!instance?.address) throw new Error(`${name}: no running instance`);
  return { name, berth, direct: `http://${instance.address.host}:${instance.address.port}/` };
}

/** The edge's answer for the app (status and body), through `port`. */
function viaEdge(port: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', headers: { host: `${slug}.localhost` } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
  });
}

/** Waits until the edge serves the app (its route table may lag the deploy by a moment). */
async function untilServed(t: Target): Promise<void> {
  const until = Date.now() + 30_000;
  for (;;) {
    const answer = await viaEdge(t.berth.edgePort).catch((error: Error) => ({ status: 0, body: error.message }));
    if (answer.status === 200 && answer.body === body) return;
    if (Date.now() > until) throw new Error(`${t.name}: the edge answers ${answer.status} ${answer.body.slice(0, 200)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const row = (label: string, f: Figures) =>
  `  ${label.padEnd(28)} ${f.rps.toFixed(0).padStart(8)} req/s   p50 ${f.p50Ms.toFixed(2).padStart(6)} ms   p99 ${f.p99Ms.toFixed(2).padStart(6)} ms`;

function medianOf(samples: Figures[]): Figures {
  return { rps: median(samples.map((s) => s.rps)), p50Ms: median(samples.map((s) => s.p50Ms)), p99Ms: median(samples.map((s) => s.p99Ms)) };
}

async function main(): Promise<void> {
  if (!has('wrk')) throw new Error('wrk is not installed (apt-get install -y wrk)');
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-edge-docker-'));
  fs.chmodSync(root, 0o755);
  const dockerd = await startDockerd('bench-edge', 7);
  const berths: RunningBerth[] = [];
  try {
    const processBerth = await startOne(root, 'proc', {});
    berths.push(processBerth.berth);
    const dockerBerth = await startOne(root, 'dock', { BERTH_RUNTIME: 'docker', DOCKER_HOST: dockerd.host });
    berths.push(dockerBerth.berth);
    const targets = [await deployOn(processBerth, root, 'process'), await deployOn(dockerBerth, root, 'docker')];
    for (const t of targets) await untilServed(t);
    console.log(`edge on the docker driver vs the process driver: ${rounds} rounds of ${seconds} s, ${conns} connections, wrk -t1, ${os.cpus().length} cpus, load average ${os.loadavg()[0]?.toFixed(1)}`);
    console.log(`  process driver isolation ${JSON.stringify(processBerth.berth.runtime.isolation)}; edge workers ${processBerth.edgeWorkers} (0: in Berth's process), the same for both`);
    const samples = new Map<string, Figures[]>();
    const add = (label: string, f: Figures) => samples.set(label, [...(samples.get(label) ?? []), f]);
    for (let round = 0; round < rounds; round++) {
      for (const t of round % 2 === 0 ? targets : [...targets].reverse()) {
        add(`${t.name} via edge`, await wrkAsync(`http://127.0.0.1:${t.berth.edgePort}/`, conns, seconds, `${slug}.localhost`));
        add(`${t.name} direct`, await wrkAsync(t.direct, conns, seconds, `${slug}.localhost`));
      }
    }
    const figures = new Map([...samples].map(([label, list]) => [label, medianOf(list)]));
    for (const [label, f] of figures) console.log(row(label, f));
    const ratio = (a: string, b: string) => ((figures.get(a)?.rps ?? NaN) / (figures.get(b)?.rps ?? NaN)).toFixed(2);
    console.log(`ratio docker/process, req/s via the edge: ${ratio('docker via edge', 'process via edge')}`);
    console.log(`ratio docker/process, req/s direct to the instance: ${ratio('docker direct', 'process direct')}`);
  } finally {
    for (const berth of berths.reverse()) await berth.close();
    await dockerd.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
