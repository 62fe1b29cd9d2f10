// A/B of two edge builds (this tree and another checkout, e.g. main's) against nginx in one run:
// interleaved short wrk rounds at 32 connections over HTTP/1.1 (and HTTPS), each figure per round,
// so a change's effect shows against the noise of a shared machine. Not a test.
// Run: npx tsx bench/edge-ab.ts --other /path/to/checkout [--rounds 6] [--seconds 3] [--https | --h2]
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { connections, cpuTimes, host, startChild, toMs, wrk, type Figures } from './support/edge-bench.js';
import { makeCertificate } from './support/bench-certificate.js';

/** h2load's req/s and mean time per request (as p50; it reports no percentiles). */
function h2load(url: string, conns: number, seconds: number): Figures {
  const out = spawnSync('h2load', ['-c', String(conns), '-m', '1', '-D', String(seconds), '-H', `:authority: ${host}`, url], { encoding: 'utf8' }).stdout;
  return {
    rps: Number(/finished in [\d.]+s, ([\d.]+) req\/s/.exec(out)?.[1] ?? Number.NaN),
    p50Ms: toMs(/time for request:\s+\S+\s+\S+\s+(\S+)/.exec(out)?.[1] ?? ''),
    p99Ms: Number.NaN,
  };
}

const { values } = parseArgs({
  options: {
    other: { type: 'string' },
    rounds: { type: 'string', default: '6' },
    seconds: { type: 'string', default: '3' },
    https: { type: 'boolean', default: false },
    h2: { type: 'boolean', default: false },
    nginx: { type: 'boolean', default: true },
  },
});
const here = fileURLToPath(new URL('./edge.ts', import.meta.url));
const other = join(values.other ?? '', 'bench/edge.ts');
const children: ChildProcess[] = [];
const certDir = mkdtempSync(join(tmpdir(), 'berth-ab-cert-'));
try {
  const tls = makeCertificate(certDir);
  const app = await startChild(here, ['app']);
  children.push(app.child);
  const appPort = app.ports[0] ?? 0;
  const a = await startChild(here, ['edge', String(appPort), '0', tls.certFile, tls.keyFile]);
  const b = await startChild(other, ['edge', String(appPort), '0', tls.certFile, tls.keyFile]);
  children.push(a.child, b.child);
  const targets = [
    { name: 'this edge', pid: a.child.pid ?? 0, port: a.ports[values.https || values.h2 ? 1 : 0] },
    { name: 'other edge', pid: b.child.pid ?? 0, port: b.ports[values.https || values.h2 ? 1 : 0] },
  ];
  const scheme = values.https || values.h2 ? 'https' : 'http';
  const load = values.h2 ? h2load : wrk;
  const seconds = Number(values.seconds);
  const results = new Map<string, string[]>(targets.map((t) => [t.name, []]));
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const target of round % 2 === 0 ? targets : [...targets].reverse()) {
      const url = `${scheme}://127.0.0.1:${target.port}/`;
      load(url, connections, 1);
      const before = cpuTimes(target.pid);
      const figures = load(url, connections, seconds);
      const after = cpuTimes(target.pid);
      const n = figures.rps * seconds;
      const user = ((after.user - before.user) / n) * 1e6;
      const sys = ((after.system - before.system) / n) * 1e6;
      const single = load(url, 1, seconds);
      results.get(target.name)?.push(`${figures.rps.toFixed(0)} rps p99 ${figures.p99Ms.toFixed(2)} user ${user.toFixed(1)} sys ${sys.toFixed(1)} us/req; 1c p50 ${single.p50Ms.toFixed(3)}`);
      console.log(`round ${round} ${target.name.padEnd(10)} ${results.get(target.name)?.at(-1)} (load ${spawnSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).stdout.split(' ')[0]})`);
    }
  }
} finally {
  for (const child of children) child.kill('SIGTERM');
  rmSync(certDir, { recursive: true, force: true });
}
