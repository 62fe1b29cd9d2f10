// What the edge benchmarks share: the tiny upstream app they run as a child, children started
// from the bench's own script, wrk's figures, CPU time from /proc and medians of rounds.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export const host = 'bench.apps.test';
export const connections = 32;
export const body = 'hello from the bench app\n';

export interface Figures {
  rps: number;
  p50Ms: number;
  p99Ms: number;
}

export interface Row {
  name: string;
  load: Figures;
  single: Figures;
  /** CPU microseconds per request under load: the proxy's own (of which in the kernel), and the app's. */
  proxyCpuUs: number;
  proxySysUs: number;
  appCpuUs: number;
}

/** Child mode: the tiny upstream app; prints its port. */
export async function serveApp(): Promise<void> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
  exitOnSignal(() => server.close());
}

/** Children exit cleanly on SIGTERM/SIGINT (so --cpu-prof can write its profile). */
export function exitOnSignal(stop: () => unknown): void {
  const exit = (): void => {
    void Promise.resolve(stop()).finally(() => process.exit(0));
  };
  process.once('SIGTERM', exit);
  process.once('SIGINT', exit);
}

/**
 * Node flags of the edge under test: BENCH_EDGE_NODE_FLAGS when set, else those `npm start` runs
 * Berth with (package.json), since with BERTH_EDGE_WORKERS=0 the edge runs in Berth's own process
 * and shares its V8 settings (a small young generation: more scavenges than Node's default).
 */
export function edgeNodeFlags(): string[] {
  const set = process.env.BENCH_EDGE_NODE_FLAGS;
  if (set !== undefined) return set.split(' ').filter(Boolean);
  const root = new URL('../../package.json', import.meta.url);
  const start = (JSON.parse(readFileSync(root, 'utf8')) as { scripts: { start: string } }).scripts.start.split(' ');
  return start.slice(start.indexOf('node') + 1).filter((word) => word.startsWith('--'));
}

/** Runs `script` (a bench file) in child mode with `args`; resolves with the ports it prints. */
export function startChild(script: string, args: string[]): Promise<{ child: ChildProcess; ports: number[] }> {
  const flags = args[0] === 'edge' ? edgeNodeFlags() : [];
  const child = spawn(process.execPath, [...flags, '--import', 'tsx', script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.stdout?.once('data', (chunk: Buffer) =>
      resolve({ child, ports: chunk.toString().trim().split(' ').map(Number) }),
    );
  });
}

export function has(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

export function freePort(): Promise<number> {
  const server = createServer();
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    }),
  );
}

export function toMs(value: string): number {
  const match = /^([\d.]+)(us|ms|s)$/.exec(value.trim());
  if (match === null) return Number.NaN;
  const n = Number(match[1]);
  return match[2] === 'us' ? n / 1000 : match[2] === 's' ? n * 1000 : n;
}

const wrkArgv = (url: string, conns: number, seconds: number, hostHeader: string): string[] => ['-t1', `-c${conns}`, `-d${seconds}s`, '--latency', '-H', `Host: ${hostHeader}`, url];

function wrkFigures(url: string, out: string, err: string): Figures {
  const errors = /Non-2xx or 3xx responses: (\d+)|Socket errors: (.*)/.exec(out);
  if (errors !== null) console.log(`  wrk ${url} reported: ${errors[0]}`);
  if (!/Requests\/sec:\s+[1-9]/.test(out)) console.log(`  wrk ${url} served nothing: ${(out + err).trim().slice(0, 600)}`);
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? Number.NaN),
    p50Ms: toMs(/\s50%\s+(\S+)/.exec(out)?.[1] ?? ''),
    p99Ms: toMs(/\s99%\s+(\S+)/.exec(out)?.[1] ?? ''),
  };
}

/** wrk against `url` with the bench host (or `hostHeader`): req/s, p50 and p99. Blocks this process: the target must run elsewhere. */
export function wrk(url: string, conns: number, seconds: number, hostHeader = host): Figures {
  const run = spawnSync('wrk', wrkArgv(url, conns, seconds, hostHeader), { encoding: 'utf8' });
  return wrkFigures(url, run.stdout, run.stderr);
}

/** wrk without blocking this process (for a target served by this process, such as an in-process edge). */
export function wrkAsync(url: string, conns: number, seconds: number, hostHeader = host): Promise<Figures> {
  const child = spawn('wrk', wrkArgv(url, conns, seconds, hostHeader), { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', () => resolve(wrkFigures(url, out, err)));
  });
}

const clockTicks = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;

/** CPU seconds a process has used so far in user space and in the kernel, from /proc; 0 once it is gone. */
export function cpuTimes(pid: number): { user: number; system: number } {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return { user: Number(fields[11]) / clockTicks, system: Number(fields[12]) / clockTicks };
  } catch {
    return { user: 0, system: 0 };
  }
}

/** CPU seconds (user + system) a process has used so far; 0 once it is gone. */
export function cpuSeconds(pid: number): number {
  const { user, system } = cpuTimes(pid);
  return user + system;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

export function medianRow(samples: Row[]): Row {
  const pick = (f: (row: Row) => number): number => median(samples.map(f));
  return {
    name: samples[0]?.name ?? '?',
    load: { rps: pick((r) => r.load.rps), p50Ms: pick((r) => r.load.p50Ms), p99Ms: pick((r) => r.load.p99Ms) },
    single: { rps: pick((r) => r.single.rps), p50Ms: pick((r) => r.single.p50Ms), p99Ms: pick((r) => r.single.p99Ms) },
    proxyCpuUs: pick((r) => r.proxyCpuUs),
    proxySysUs: pick((r) => r.proxySysUs),
    appCpuUs: pick((r) => r.appCpuUs),
  };
}
