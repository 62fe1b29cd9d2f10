// Where the builtin edge spends its CPU per request: runs the bench app and the edge (in its own
// process) under V8's CPU profiler, loads it with wrk (HTTP/1.1, HTTPS) or h2load (HTTP/2) at
// 32 connections, and prints the functions with the most self time, plus the share of samples
// V8 spent outside JavaScript (native code: parser, TLS, syscalls, GC). Not a test; not a ratio.
// V8 samples wall time: a write's system call (and any wait for the CPU on a busy machine) shows
// under the function that made it (writeLatin1String). For CPU time alone, by user and kernel
// symbol: `perf record -e cpu-clock -p <edge pid>` on a `node --perf-basic-prof` edge.
// Run: npx tsx bench/edge-profile.ts [--protocol http|https|h2] [--seconds 10] [--top 30]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { connections, cpuSeconds, host, startChild, wrk } from './support/edge-bench.js';
import { makeCertificate } from './support/bench-certificate.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time by function (name, file, line), in microseconds, largest first. */
function selfTimes(profile: Profile): { total: number; rows: [string, number][] } {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    const frame = byId.get(id)?.callFrame;
    if (frame === undefined) return;
    const file = frame.url.startsWith('file:') ? relative(process.cwd(), fileURLToPath(frame.url)) : frame.url;
    const key = `${frame.functionName || '(anonymous)'} ${file}${file === '' ? '' : `:${frame.lineNumber + 1}`}`;
    self.set(key, (self.get(key) ?? 0) + delta);
    total += delta;
  });
  return { total, rows: [...self].sort((a, b) => b[1] - a[1]) };
}

function h2loadRequests(url: string, seconds: number): number {
  const run = spawnSync('h2load', ['-c', String(connections), '-m', '1', '-D', String(seconds), '-H', `:authority: ${host}`, url], {
    encoding: 'utf8',
  });
  return Number(/(\d+) succeeded/.exec(run.stdout)?.[1] ?? Number.NaN);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      protocol: { type: 'string', default: 'http' },
      seconds: { type: 'string', default: '10' },
      top: { type: 'string', default: '30' },
    },
  });
  const protocol = values.protocol ?? 'http';
  const seconds = Number(values.seconds);
  const dir = mkdtempSync(join(tmpdir(), 'berth-edge-profile-'));
  const bench = fileURLToPath(new URL('./edge.ts', import.meta.url));
  const app = await startChild(bench, ['app']);
  const tls = makeCertificate(dir);
  const edge = spawn(
    process.execPath,
    ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--import', 'tsx', bench, 'edge', String(app.ports[0]), '0', tls.certFile, tls.keyFile],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const ports = await new Promise<number[]>((resolve) =>
    edge.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString().trim().split(' ').map(Number))),
  );
  const url = protocol === 'http' ? `http://127.0.0.1:${ports[0]}/` : `https://127.0.0.1:${ports[1]}/`;
  try {
    if (protocol === 'h2') h2loadRequests(url, 2);
    else wrk(url, connections, 2);
    const before = cpuSeconds(edge.pid ?? 0);
    const requests = protocol === 'h2' ? h2loadRequests(url, seconds) : wrk(url, connections, seconds).rps * seconds;
    const cpuUs = ((cpuSeconds(edge.pid ?? 0) - before) / requests) * 1e6;
    const exited = new Promise((resolve) => edge.once('exit', resolve));
    edge.kill('SIGTERM');
    await exited;
    const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
    if (file === undefined) throw new Error('the edge wrote no profile');
    const { total, rows } = selfTimes(JSON.parse(readFileSync(join(dir, file), 'utf8')) as Profile);
    console.log(`edge ${protocol}: ${requests.toFixed(0)} requests, ${cpuUs.toFixed(1)} us CPU per request (whole process, warm-up excluded)`);
    console.log(`profile (whole run, warm-up included): ${(total / 1e6).toFixed(2)} s sampled; self time:`);
    for (const [name, us] of rows.slice(0, Number(values.top)))
      console.log(`${((us / total) * 100).toFixed(1).padStart(5)}%  ${name}`);
  } finally {
    if (edge.exitCode === null) edge.kill('SIGTERM');
    app.child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
