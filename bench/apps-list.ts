// Benchmark (not a test) of listing apps: a real Berth with 10,000 apps in one workspace, in its
// own process; for 10 s a few keep-alive connections list pages (random page, limit 20 or 100) and
// search by name over a real socket. Baselines from the same server in the same run: GET /healthz
// (no auth, no store) and GET whoami (auth only). Target on SQLite: p99 <= 20 ms, >= 3,000 req/s.
// A last phase pages spec 003's REST list (keyset, a two-clause JSON filter): p99 <= 20 ms.
// Run: npm run bench:apps-list [-- --postgres] [-- --connections 8 --seconds 10] [-- --cpu-prof DIR]
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { driveLoad } from './apps-list/drive-load.js';
import type { Figures } from './apps-list/drive-load.js';
import { appName, readyMarker, searchWords } from './apps-list/seeded-berth.js';
import type { SeededBerth } from './apps-list/seeded-berth.js';

const option = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const seconds = option('--seconds', 10);
const connections = option('--connections', 8);
const baselineSeconds = Math.max(2, Math.round(seconds / 2));
const backends = process.argv.includes('--postgres') ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const);

function startSeeded(backend: 'sqlite' | 'postgres'): Promise<{ child: ChildProcess; berth: SeededBerth }> {
  const script = path.join(import.meta.dirname, 'apps-list', 'seeded-berth.ts');
  // --cpu-prof DIR: the Berth process writes a V8 CPU profile there when it stops.
  const profileDir = process.argv.includes('--cpu-prof')
    ? process.argv[process.argv.indexOf('--cpu-prof') + 1]
    : undefined;
  const profile = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
  const child = spawn(
    process.execPath,
    [...profile, '--import', 'tsx', script, ...(backend === 'postgres' ? ['--postgres'] : [])],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith(readyMarker));
      if (line) resolve({ child, berth: JSON.parse(line.slice(readyMarker.length)) as SeededBerth });
    });
    child.once('exit', (code) => reject(new Error(`seeded Berth exited with ${code} before it was ready`)));
  });
}

/** The mixed workload: 60% pages (limit 20 or 100, any page), 40% name searches. */
function mixedPaths(berth: SeededBerth): () => string {
  const base = `/api/v1/workspaces/${berth.workspaceId}/apps`;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;
  return () => {
    if (Math.random() < 0.6) {
      const limit = Math.random() < 0.5 ? 20 : 100;
      const page = 1 + Math.floor(Math.random() * Math.ceil(berth.apps / limit));
      return `${base}?page=${page}&limit=${limit}`;
    }
    const kind = Math.random();
    const index = Math.floor(Math.random() * berth.apps);
    const term = kind < 0.4 ? pick(searchWords) : kind < 0.7 ? appName(index) : String(index % 1000);
    return `${base}?search=${encodeURIComponent(term)}&limit=20`;
  };
}

/**
 * Spec 003's list: keyset pages (limit 20) with a two-clause JSON filter (a name word and
 * publicAccess) ordered by name; half the requests continue after a cursor of the first page.
 */
async function keysetPaths(berth: SeededBerth): Promise<() => string> {
  const path = (word: string, after?: string) => {
    const query = new URLSearchParams({ limit: '20', filter: JSON.stringify({ name: { contains: word }, publicAccess: false }), orderBy: JSON.stringify([{ name: 'asc' }]) });
    if (after) query.set('after', after);
    return `/api/apps?${query.toString()}`;
  };
  const cursors = new Map<string, string>();
  for (const word of searchWords) {
    const res = await fetch(`${berth.url}${path(word)}`, { headers: { authorization: `Bearer ${berth.key}` } });
    const body = (await res.json()) as { pageInfo?: { endCursor?: string | null } };
    if (body.pageInfo?.endCursor) cursors.set(word, body.pageInfo.endCursor);
  }
  return () => {
    const word = searchWords[Math.floor(Math.random() * searchWords.length)] ?? 'app';
    return path(word, Math.random() < 0.5 ? cursors.get(word) : undefined);
  };
}

const columns = ['requests', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'failures', 'cpu ms/req'];
const cells = (values: (string | number)[]) => values.map((v) => String(v).padStart(11)).join('');
const row = (f: Figures) =>
  f.name.padEnd(24) +
  cells([
    f.requests,
    f.perSecond.toFixed(0),
    f.p50Ms.toFixed(2),
    f.p99Ms.toFixed(2),
    f.maxMs.toFixed(1),
    f.failures,
    f.cpuMsPerRequest.toFixed(3),
  ]);

async function measure(backend: 'sqlite' | 'postgres'): Promise<boolean> {
  const { child, berth } = await startSeeded(backend);
  try {
    console.log(
      `\n${backend}: ${berth.apps} apps seeded through the core in ${berth.seedSeconds.toFixed(1)} s; ${connections} connections`,
    );
    const auth = { authorization: `Bearer ${berth.key}` };
    const common = { url: berth.url, connections, headers: auth, serverPid: berth.pid };
    await driveLoad({ ...common, name: 'warm-up', seconds: 2, nextPath: mixedPaths(berth) });
    const healthz = await driveLoad({
      ...common,
      name: 'baseline GET /healthz',
      seconds: baselineSeconds,
      nextPath: () => '/healthz',
    });
    const whoami = await driveLoad({
      ...common,
      name: 'baseline GET whoami',
      seconds: baselineSeconds,
      nextPath: () => '/api/v1/api-keys/whoami',
    });
    const mixed = await driveLoad({ ...common, name: 'apps list + search', seconds, nextPath: mixedPaths(berth) });
    const keyset = await driveLoad({ ...common, name: 'REST keyset + filter', seconds, nextPath: await keysetPaths(berth) });
    console.log('phase'.padEnd(24) + cells(columns));
    for (const figures of [healthz, whoami, mixed, keyset]) console.log(row(figures));
    console.log(`ratio REST keyset / healthz: ${(keyset.p99Ms / healthz.p99Ms).toFixed(1)}x p99; target p99 <= 20 ms: ${keyset.p99Ms <= 20 && keyset.failures === 0 ? 'met' : 'MISSED'}`);
    console.log(
      `ratio apps-list / healthz: ${(mixed.perSecond / healthz.perSecond).toFixed(2)}x req/s, ${(mixed.p99Ms / healthz.p99Ms).toFixed(1)}x p99` +
        `; apps-list / whoami: ${(mixed.perSecond / whoami.perSecond).toFixed(2)}x req/s` +
        `; server CPU per request ${(mixed.cpuMsPerRequest / healthz.cpuMsPerRequest).toFixed(1)}x healthz`,
    );
    console.log(
      `one core of server CPU would serve ~${(1000 / mixed.cpuMsPerRequest).toFixed(0)} apps-list req/s (load average now ${os.loadavg()[0]?.toFixed(1)})`,
    );
    const met = mixed.p99Ms <= 20 && mixed.perSecond >= 3000 && mixed.failures === 0;
    if (backend === 'sqlite')
      console.log(`target (p99 <= 20 ms, >= 3,000 req/s, no failures): ${met ? 'met' : 'MISSED'}`);
    return met || backend !== 'sqlite';
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

let ok = true;
for (const backend of backends) ok = (await measure(backend)) && ok;
process.exitCode = ok ? 0 : 1;
