// Instructions per proxied request, counted by valgrind's callgrind: the builtin edge (this tree
// and, with --other, another checkout's) and nginx, each as one process under valgrind, the same
// tiny app behind them, the same keep-alive client load. The count moves far less with the
// machine's load than time does, but not nothing: at a load average of 20-30 on 2 cores it read
// 95.9k per request against 49.3k at 8 for the same tree (V8's tiering and GC run on timers and
// threads). Compare trees within one run (--other), where both see the same machine. The kernel's share (the sockets) is not counted; bench/edge measures it.
// The edge runs bundled (esbuild), as tsx under valgrind takes minutes to start.
// Run: npx tsx bench/edge-instructions.ts [--other <checkout>] [--requests 5000] [--rounds 2] [--no-nginx] [--keep]
//   (apt-get install -y valgrind nginx; about 4 minutes per proxy; the edges run with `npm start`'s node flags, or BENCH_EDGE_NODE_FLAGS='…')
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { makeCertificate } from './support/bench-certificate.js';
import { edgeNodeFlags, freePort, host, startChild } from './support/edge-bench.js';
import { proxyLocation, writeNginxConf } from './support/nginx-conf.js';

const { values } = parseArgs({
  options: {
    other: { type: 'string' },
    requests: { type: 'string', default: '5000' },
    rounds: { type: 'string', default: '2' },
    warmup: { type: 'string', default: '12000' },
    'no-nginx': { type: 'boolean', default: false },
    /** Keeps callgrind's dumps (and prints where), for `callgrind_annotate --inclusive=yes`. */
    keep: { type: 'boolean', default: false },
  },
});
const requests = Number(values.requests);
const rounds = Number(values.rounds);
const warmup = Number(values.warmup);
const clientConnections = 8;

/** `total` GET requests over `clientConnections` keep-alive connections; resolves with the failures. */
function load(port: number, total: number): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clientConnections });
  let started = 0;
  let finished = 0;
  let failed = 0;
  return new Promise((done) => {
    const next = (): void => {
      if (started >= total) return;
      started++;
      const settle = (ok: boolean): void => {
        if (!ok) failed++;
        if (++finished === total) {
          agent.destroy();
          done(failed);
        } else next();
      };
      http
        .get({ host: '127.0.0.1', port, path: '/', agent, headers: { host } }, (res) => {
          res.resume();
          res.on('end', () => settle(res.statusCode === 200));
        })
        .on('error', () => settle(false));
    };
    for (let i = 0; i < clientConnections; i++) next();
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error('the proxy exited before it listened');
    const up = await new Promise<boolean>((ok) => {
      http.get({ host: '127.0.0.1', port, path: '/', headers: { host } }, (res) => ok((res.resume(), true))).on('error', () => ok(false));
    });
    if (up) return;
    await sleep(500);
  }
  throw new Error(`nothing listened on ${port}`);
}

/** Instructions of the dump callgrind writes next in `dir` for `pid`. */
async function dumpInstructions(dir: string, pid: number, before: Set<string>): Promise<number> {
  spawnSync('callgrind_control', ['--dump', String(pid)], { stdio: 'ignore' });
  for (let i = 0; i < 200; i++) {
    const fresh = readdirSync(dir).filter((file) => file.startsWith(`cg.${pid}.out.`) && !before.has(file));
    for (const file of fresh) {
      const summary = /^summary: (\d+)$/m.exec(readFileSync(join(dir, file), 'utf8'));
      if (summary !== null) {
        before.add(file);
        return Number(summary[1]);
      }
    }
    await sleep(100);
  }
  throw new Error('callgrind wrote no dump');
}

/** Runs `argv` under callgrind, loads the proxy on `port`, returns instructions per request of each round. */
async function measure(name: string, argv: string[], port: (child: ChildProcess) => Promise<number>, cwd: string, dir: string): Promise<number[]> {
  const child = spawn('valgrind', ['--tool=callgrind', `--callgrind-out-file=${dir}/cg.%p.out`, ...argv], {
    cwd,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  try {
    const listening = await port(child);
    await waitForPort(listening, child);
    process.stdout.write(`${name}: warming up (${warmup} requests)\n`);
    await load(listening, warmup);
    const pid = child.pid ?? 0;
    const seen = new Set<string>();
    const perRequest: number[] = [];
    for (let round = 0; round < rounds; round++) {
      spawnSync('callgrind_control', ['--zero', String(pid)], { stdio: 'ignore' });
      const failed = await load(listening, requests);
      const total = await dumpInstructions(dir, pid, seen);
      if (failed > 0) throw new Error(`${name}: ${failed} requests failed`);
      perRequest.push(total / requests);
      process.stdout.write(`${name}: round ${round + 1}: ${Math.round(total / requests)} instructions per request\n`);
    }
    return perRequest;
  } finally {
    child.kill('SIGTERM');
    await sleep(500);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

/** bench/edge.ts of `tree`, bundled into the tree (so its packages resolve), with the ports its child mode prints. */
async function edgeCommand(tree: string, appPort: number, tls: { certFile: string; keyFile: string }) {
  const bundle = join(tree, `.bench-edge-${process.pid}.mjs`);
  await build({ entryPoints: [join(tree, 'bench/edge.ts')], bundle: true, platform: 'node', format: 'esm', packages: 'external', outfile: bundle, logLevel: 'warning' });
  const flags = edgeNodeFlags();
  return { bundle, argv: [process.execPath, ...flags, bundle, 'edge', String(appPort), '0', tls.certFile, tls.keyFile] };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

async function main(): Promise<void> {
  if (spawnSync('sh', ['-c', 'command -v valgrind callgrind_control']).status !== 0) throw new Error('needs valgrind');
  const here = resolve(fileURLToPath(new URL('..', import.meta.url)));
  const dir = mkdtempSync(join(tmpdir(), 'berth-bench-instructions-'));
  const tls = makeCertificate(dir);
  const app = await startChild(join(here, 'bench/edge.ts'), ['app']);
  const appPort = app.ports[0] ?? 0;
  const bundles: string[] = [];
  const results = new Map<string, number>();
  try {
    const trees: [string, string][] = [['edge (this tree)', here]];
    if (values.other !== undefined) trees.push(['edge (other)', resolve(values.other)]);
    for (const [name, tree] of trees) {
      if (!existsSync(join(tree, 'node_modules'))) throw new Error(`${tree} has no node_modules`);
      const { bundle, argv } = await edgeCommand(tree, appPort, tls);
      bundles.push(bundle);
      // The edge's child mode prints its plain and TLS ports once it listens.
      const ports = async (child: ChildProcess): Promise<number> => {
        let stdout = '';
        child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        for (let i = 0; i < 1200 && !/\d+ \d+/.test(stdout); i++) await sleep(250);
        return Number(stdout.trim().split(' ')[0]);
      };
      results.set(name, median(await measure(name, argv, ports, tree, dir)));
    }
    if (!values['no-nginx']) {
      const port = await freePort();
      // One process (no master), as the edge runs here.
      const conf = writeNginxConf(join(dir, 'nginx'), {
        appPort,
        workers: 1,
        main: 'master_process off; daemon off;\n',
        servers: `server { listen 127.0.0.1:${port}; ${proxyLocation} }`,
      });
      results.set('nginx', median(await measure('nginx', ['nginx', '-p', join(dir, 'nginx'), '-c', conf], async () => port, dir, dir)));
    }
  } finally {
    app.child.kill('SIGTERM');
    for (const bundle of bundles) rmSync(bundle, { force: true });
    if (values.keep) process.stdout.write(`callgrind dumps kept in ${dir}\n`);
    else rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(`\ninstructions per request (user space, median of ${rounds} rounds of ${requests}):\n`);
  for (const [name, count] of results) process.stdout.write(`  ${name.padEnd(18)} ${Math.round(count)}\n`);
  const edge = results.get('edge (this tree)') ?? Number.NaN;
  const other = results.get('edge (other)');
  const nginx = results.get('nginx');
  if (other !== undefined) process.stdout.write(`  this tree / other: ${(edge / other).toFixed(3)}\n`);
  if (nginx !== undefined) process.stdout.write(`  edge / nginx: ${(edge / nginx).toFixed(2)}\n`);
}

await main();
