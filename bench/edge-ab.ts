// A/B of two edge builds (this tree and another checkout, e.g. main's) against nginx in one run:
// interleaved short wrk rounds at 32 connections over HTTP/1.1 (and HTTPS), each figure per round,
// so a change's effect shows against the noise of a shared machine. Not a test.
// Run: npx tsx bench/edge-ab.ts --other /path/to/checkout [--rounds 6] [--seconds 3] [--https]
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { connections, cpuTimes, startChild, wrk } from './support/edge-bench.js';
import { makeCertificate } from './support/bench-certificate.js';

const { values } = parseArgs({
  options: {
    other: { type: 'string' },
    rounds: { type: 'string', default: '6' },
    seconds: { type: 'string', default: '3' },
    https: { type: 'boolean', default: false },
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
    { name: 'this edge', pid: a.child.pid ?? 0, port: a.ports[values.https ? 1 : 0] },
    { name: 'other edge', pid: b.child.pid ?? 0, port: b.ports[values.https ? 1 : 0] },
  ];
  const scheme = values.https ? 'https' : 'http';
  const seconds = Number(values.seconds);
  const results = new Map<string, string[]>(targets.map((t) => [t.name, []]));
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const target of round % 2 === 0 ? targets : [...targets].reverse()) {
      const url = `${scheme}://127.0.0.1:${target.port}/`;
      wrk(url, connections, 1);
      const before = cpuTimes(target.pid);
      const load = wrk(url, connections, seconds);
      const after = cpuTimes(target.pid);
      const n = load.rps * seconds;
      const user = ((after.user - before.user) / n) * 1e6;
      const sys = ((after.system - before.system) / n) * 1e6;
      const single = wrk(url, 1, seconds);
      results.get(target.name)?.push(`${load.rps.toFixed(0)} rps p99 ${load.p99Ms.toFixed(2)} user ${user.toFixed(1)} sys ${sys.toFixed(1)} us/req; 1c p50 ${single.p50Ms.toFixed(3)}`);
      console.log(`round ${round} ${target.name.padEnd(10)} ${results.get(target.name)?.at(-1)} (load ${spawnSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).stdout.split(' ')[0]})`);
    }
  }
} finally {
  for (const child of children) child.kill('SIGTERM');
  rmSync(certDir, { recursive: true, force: true });
}
