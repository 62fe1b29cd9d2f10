// Benchmark (not a test) of the builtin edge against nginx on the same machine, with the same
// number of worker processes and the same TLS settings (ECDSA P-256 certificate, TLS 1.2/1.3,
// ALPN h2 and http/1.1): requests/s, p50/p99 and proxy CPU per request of a tiny app reached
// directly, through the edge and through nginx, over HTTP/1.1, HTTPS and HTTP/2 (wrk; h2load
// for HTTP/2). Targets are measured in interleaved rounds and the median of each figure kept:
// the machine may be shared, so run it several times. Each server runs in its own process.
// Run: npx tsx bench/edge.ts [--workers 1,2] [--rounds 3] [--seconds 3]
//   (apt-get install -y wrk nginx nghttp2-client; workers 1 = the edge in Berth's own process, with
//   the node flags `npm start` gives it; BENCH_EDGE_NODE_FLAGS='…' replaces them)
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect as tlsConnect } from 'node:tls';
import { parseArgs } from 'node:util';
import { createEdge } from '../src/edge/create-edge.js';
import {
  connections,
  exitOnSignal,
  edgeNodeFlags,
  freePort,
  has,
  host,
  medianRow,
  serveApp,
  startChild,
  toMs,
  wrk,
  cpuSeconds,
  cpuTimes,
  type Figures,
  type Row,
} from './support/edge-bench.js';
import { launchEdgeWorker } from '../src/main.js';
import { makeCertificate } from './support/bench-certificate.js';
import { answering, proxyLocation, writeNginxConf } from './support/nginx-conf.js';

/** Child mode: the edge (in this process, or on `workers` worker processes), plain and TLS. */
async function serveEdge(appPort: number, workers: number, certFile: string, keyFile: string): Promise<void> {
  const quiet = { info() {}, warn() {}, error() {} };
  const stateDir = mkdtempSync(join(tmpdir(), 'berth-bench-edge-tls-'));
  const edge = createEdge({
    baseDomain: 'apps.test',
    resolveKey: () => Promise.resolve(null),
    logger: quiet,
    workers,
    launchWorker: () => launchEdgeWorker(),
    certificates: {
      dir: stateDir,
      acme: null,
      operator: { certPem: readFileSync(certFile, 'utf8'), keyPem: readFileSync(keyFile, 'utf8') },
      onStatus: async () => {},
    },
  });
  const targets = [
    { revisionName: 'bench-00001', percent: 100, tag: null, endpoints: [{ host: '127.0.0.1', port: appPort }] },
  ];
  const app = {
    appId: 'app_bench',
    workspaceId: 'ws_bench',
    slug: 'bench',
    visibility: 'public' as const,
    targets,
    shares: [],
  };
  const httpPort = await edge.listen(0, '127.0.0.1');
  const tlsPort = await edge.listenTls(0, '127.0.0.1');
  await edge.setRoutes({ version: 1, apps: new Map([['bench', app]]), domains: new Map() });
  process.stdout.write(`${httpPort} ${tlsPort}\n`);
  exitOnSignal(async () => {
    await edge.close();
    rmSync(stateDir, { recursive: true, force: true });
  });
}

async function startNginx(appPort: number, workers: number, tls: { certFile: string; keyFile: string }) {
  const dir = mkdtempSync(join(tmpdir(), 'berth-bench-nginx-'));
  const [port, tlsPort] = [await freePort(), await freePort()];
  writeNginxConf(dir, {
    appPort,
    workers,
    servers: `server { listen 127.0.0.1:${port}; ${proxyLocation} }
  server {
    listen 127.0.0.1:${tlsPort} ssl http2;
    ssl_certificate ${tls.certFile}; ssl_certificate_key ${tls.keyFile};
    ssl_protocols TLSv1.2 TLSv1.3;
    ${proxyLocation}
  }`,
  });
  const child = spawn('nginx', ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: 'inherit' });
  await answering(port);
  return { child, port, tlsPort, dir };
}

/** What a TLS handshake with `port` settles on (a client with OpenSSL's defaults, like wrk's and h2load's). */
function negotiated(port: number): Promise<string> {
  return new Promise((resolve) => {
    // No SNI, like wrk and h2load for an IP address (the edge refuses names it holds no certificate for).
    const socket = tlsConnect({ host: '127.0.0.1', port, rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] });
    socket.once('secureConnect', () => {
      const cipher = socket.getCipher();
      const key = socket.getEphemeralKeyInfo() as { name?: string; type?: string; size?: number };
      resolve(`${socket.getProtocol() ?? '?'} ${cipher.standardName ?? cipher.name}, key exchange ${key.name ?? key.type ?? '?'}`);
      socket.destroy();
    });
    socket.once('error', (error) => resolve(`handshake failed: ${error.message}`));
  });
}

/** HTTP/2 load: req/s and the mean time per request (h2load reports no percentiles). */
function h2load(url: string, conns: number, seconds: number): Figures {
  const run = spawnSync(
    'h2load',
    ['-c', String(conns), '-m', '1', '-D', String(seconds), '-H', `:authority: ${host}`, url],
    {
      encoding: 'utf8',
    },
  );
  const out = run.stdout;
  const failed = /requests: \d+ total, \d+ started, \d+ done, (\d+) succeeded, (\d+) failed/.exec(out);
  if (failed !== null && failed[2] !== '0') console.log(`  h2load ${url}: ${failed[2]} failed`);
  const mean = /time for request:\s+\S+\s+\S+\s+(\S+)/.exec(out)?.[1] ?? '';
  return {
    rps: Number(/finished in [\d.]+s, ([\d.]+) req\/s/.exec(out)?.[1] ?? Number.NaN),
    p50Ms: toMs(mean),
    p99Ms: Number.NaN,
  };
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

type Protocol = 'http' | 'https' | 'h2';

interface Target {
  name: string;
  protocol: Protocol;
  url: string;
  /** The processes serving the proxy's traffic (empty for direct). */
  proxyPids: () => number[];
}

function measureOnce(target: Target, appPid: number, seconds: number): Row {
  const run = target.protocol === 'h2' ? h2load : wrk;
  run(target.url, connections, 1);
  const pids = target.proxyPids();
  const proxyTimes = (): { user: number; system: number } =>
    pids.map(cpuTimes).reduce((sum, t) => ({ user: sum.user + t.user, system: sum.system + t.system }), { user: 0, system: 0 });
  const before = { proxy: proxyTimes(), app: cpuSeconds(appPid) };
  const load = run(target.url, connections, seconds);
  const requests = load.rps * seconds;
  const after = proxyTimes();
  const perRequest = (s: number): number => (pids.length === 0 ? 0 : (s / requests) * 1e6);
  const proxySysUs = perRequest(after.system - before.proxy.system);
  const proxyCpuUs = perRequest(after.user - before.proxy.user) + proxySysUs;
  const appCpuUs = ((cpuSeconds(appPid) - before.app) / requests) * 1e6;
  const single = run(target.url, 1, seconds);
  return { name: target.name, load, single, proxyCpuUs, proxySysUs, appCpuUs };
}

function printTable(rows: Row[]): void {
  const head = [
    `req/s @${connections}c`,
    'p50 ms',
    'p99 ms',
    'req/s @1c',
    'p50 ms @1c',
    'p99 ms @1c',
    'proxy cpu us/req',
    'of it kernel',
    'app cpu us/req',
  ];
  const width = (i: number): number => Math.max(head[i]?.length ?? 0, 8);
  console.log(`\n${'target'.padEnd(14)} ${head.map((h, i) => h.padStart(width(i))).join(' ')}`);
  for (const { name, load, single, proxyCpuUs, proxySysUs, appCpuUs } of rows) {
    const cells = [
      load.rps.toFixed(0),
      load.p50Ms.toFixed(3),
      load.p99Ms.toFixed(3),
      single.rps.toFixed(0),
      single.p50Ms.toFixed(3),
      single.p99Ms.toFixed(3),
      proxyCpuUs.toFixed(1),
      proxySysUs.toFixed(1),
      appCpuUs.toFixed(1),
    ];
    console.log(`${name.padEnd(14)} ${cells.map((c, i) => c.replace('NaN', '-').padStart(width(i))).join(' ')}`);
  }
}

function printRatios(rows: Map<string, Row>, workers: number): void {
  const r = (name: string) => rows.get(name);
  const ratio = (a: number | undefined, b: number | undefined) => ((a ?? Number.NaN) / (b ?? Number.NaN)).toFixed(2);
  const [direct, edge, nginx] = [r('direct'), r(`edge http`), r(`nginx http`)];
  console.log(
    `\nwith ${workers} worker${workers === 1 ? '' : 's'} each (edge: ${workers === 1 ? "Berth's own process" : `${workers} worker processes`}):`,
  );
  console.log(
    `  HTTP/1.1 throughput @${connections}c, edge / nginx: ${ratio(edge?.load.rps, nginx?.load.rps)} (target >= 1.0)`,
  );
  console.log(
    `  HTTPS throughput @${connections}c, edge / nginx: ${ratio(r('edge https')?.load.rps, r('nginx https')?.load.rps)} (target >= 0.9)`,
  );
  console.log(
    `  HTTP/2 throughput @${connections}c, edge / nginx: ${ratio(r('edge h2')?.load.rps, r('nginx h2')?.load.rps)}`,
  );
  console.log(
    `  added p50 @1c, edge vs direct: ${((edge?.single.p50Ms ?? Number.NaN) - (direct?.single.p50Ms ?? Number.NaN)).toFixed(3)} ms (target <= 0.100); nginx: ${((nginx?.single.p50Ms ?? Number.NaN) - (direct?.single.p50Ms ?? Number.NaN)).toFixed(3)} ms`,
  );
  console.log(
    `  p99 @${connections}c, edge vs nginx: ${edge?.load.p99Ms.toFixed(3)} vs ${nginx?.load.p99Ms.toFixed(3)} ms (target: edge <= nginx); HTTPS ${r('edge https')?.load.p99Ms.toFixed(3)} vs ${r('nginx https')?.load.p99Ms.toFixed(3)} ms`,
  );
  console.log(
    `  proxy CPU per request, edge / nginx: HTTP ${ratio(edge?.proxyCpuUs, nginx?.proxyCpuUs)}x, HTTPS ${ratio(r('edge https')?.proxyCpuUs, r('nginx https')?.proxyCpuUs)}x, HTTP/2 ${ratio(r('edge h2')?.proxyCpuUs, r('nginx h2')?.proxyCpuUs)}x`,
  );
  const user = (name: string): number => (r(name)?.proxyCpuUs ?? Number.NaN) - (r(name)?.proxySysUs ?? Number.NaN);
  console.log(
    `  of it in user space (the proxy's own code; the kernel's share is the sockets'), edge / nginx: HTTP ${ratio(user('edge http'), user('nginx http'))}x, HTTPS ${ratio(user('edge https'), user('nginx https'))}x, HTTP/2 ${ratio(user('edge h2'), user('nginx h2'))}x`,
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      workers: { type: 'string', default: '1,2' },
      rounds: { type: 'string', default: '3' },
      seconds: { type: 'string', default: '3' },
    },
  });
  const workerCounts = (values.workers ?? '1,2').split(',').map(Number);
  const rounds = Number(values.rounds);
  const seconds = Number(values.seconds);
  if (!has('wrk') || !has('nginx')) {
    console.log('bench/edge: needs wrk and nginx (apt-get install -y wrk nginx nghttp2-client); nothing measured.');
    return;
  }
  const withH2 = has('h2load');
  const children: ChildProcess[] = [];
  const dirs: string[] = [];
  try {
    const certDir = mkdtempSync(join(tmpdir(), 'berth-bench-cert-'));
    dirs.push(certDir);
    const tls = makeCertificate(certDir);
    const app = await startChild(self, ['app']);
    children.push(app.child);
    const appPort = app.ports[0] ?? 0;
    const appPid = app.child.pid ?? 0;
    console.log(
      `bench/edge: ${rounds} interleaved rounds of ${seconds} s at ${connections} connections and ${seconds} s at 1, per target; medians shown.`,
    );
    for (const workers of workerCounts) {
      const edge = await startChild(self, [
        'edge',
        String(appPort),
        String(workers === 1 ? 0 : workers),
        tls.certFile,
        tls.keyFile,
      ]);
      children.push(edge.child);
      const nginx = await startNginx(appPort, workers, tls);
      children.push(nginx.child);
      dirs.push(nginx.dir);
      const [edgeHttp, edgeTls] = edge.ports;
      console.log(`  TLS negotiated: edge ${await negotiated(edgeTls ?? 0)}; nginx ${await negotiated(nginx.tlsPort)}`);
      console.log(`  edge node flags: ${edgeNodeFlags().join(' ') || '(none)'} (npm start's unless BENCH_EDGE_NODE_FLAGS is set)`);
      const edgePids = () => [edge.child.pid ?? 0, ...childrenOf(edge.child.pid ?? 0)];
      const nginxPids = () => childrenOf(nginx.child.pid ?? 0);
      const targets: Target[] = [
        { name: 'direct', protocol: 'http', url: `http://127.0.0.1:${appPort}/`, proxyPids: () => [] },
        { name: 'edge http', protocol: 'http', url: `http://127.0.0.1:${edgeHttp}/`, proxyPids: edgePids },
        { name: 'nginx http', protocol: 'http', url: `http://127.0.0.1:${nginx.port}/`, proxyPids: nginxPids },
        { name: 'edge https', protocol: 'https', url: `https://127.0.0.1:${edgeTls}/`, proxyPids: edgePids },
        { name: 'nginx https', protocol: 'https', url: `https://127.0.0.1:${nginx.tlsPort}/`, proxyPids: nginxPids },
      ];
      if (withH2) {
        targets.push({ name: 'edge h2', protocol: 'h2', url: `https://127.0.0.1:${edgeTls}/`, proxyPids: edgePids });
        targets.push({
          name: 'nginx h2',
          protocol: 'h2',
          url: `https://127.0.0.1:${nginx.tlsPort}/`,
          proxyPids: nginxPids,
        });
      }
      const samples = targets.map(() => [] as Row[]);
      for (let round = 0; round < rounds; round++)
        targets.forEach((target, i) => samples[i]?.push(measureOnce(target, appPid, seconds)));
      const rows = samples.map(medianRow);
      console.log(
        `\n== ${workers} worker${workers === 1 ? '' : 's'} (nginx worker_processes ${workers}; edge ${workers === 1 ? 'in process' : `BERTH_EDGE_WORKERS=${workers}`})`,
      );
      printTable(rows);
      printRatios(new Map(rows.map((row) => [row.name, row])), workers);
      for (const child of [edge.child, nginx.child]) child.kill('SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } finally {
    for (const child of children) if (child.pid !== undefined && child.exitCode === null) child.kill('SIGTERM');
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}

const self = fileURLToPath(import.meta.url);
const [mode, ...rest] = process.argv.slice(2);
if (mode === 'app') await serveApp();
else if (mode === 'edge') await serveEdge(Number(rest[0]), Number(rest[1]), rest[2] ?? '', rest[3] ?? '');
else await main();
