// Benchmark (not a test) of preview sessions (spec 003) with the Vite + React project of the
// end-to-end test. Cold start: POST /api/app-preview-sessions for a new app (no dependency cache)
// until the page answers 200 through the edge, install included, against the same project by
// hand in a temp dir (`npm install && npx vite`, until its first 200), both with an empty npm
// cache, rounds alternating which goes first; also the cold start of a second session of the same
// app (its dependency cache warm). Warm wake: POST for a version whose session runs, until 200
// through the edge. File write → change visible: PATCH src/App.jsx through the files API until
// the edge serves the transformed module with the change.
// Run: npx tsx bench/preview.ts [rounds]   Targets: cold ratio ≤ 1.2, warm wake ≤ 300 ms, write → visible ≤ 500 ms.
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { runCommand, signalGroup, spawnChild } from '../src/engine/spawn.js';
import { edgeGet } from '../test/support/edge-get.js';
import { appWithFiles, previewProjectFiles } from '../test/support/preview-project.js';
import { startTestBerth, type TestBerth } from '../test/support/test-berth.js';

const rounds = Number(process.argv[2] ?? 3);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const ms = (value: number) => `${value.toFixed(0)} ms`;
const sleep = (n: number) => new Promise((r) => setTimeout(r, n));
const ENV = { PATH: '/usr/local/bin:/usr/bin:/bin', LANG: 'C.UTF-8', CI: 'true', npm_config_update_notifier: 'false', npm_config_fund: 'false' };

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((r) => server.close(r));
  return port;
}

function localGet(port: number): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
  });
}

/** The project by hand: npm install, then npx vite, until its first 200. */
async function byHand(): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-preview-'));
  for (const [file, content] of Object.entries(previewProjectFiles())) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
  const env = { ...ENV, HOME: dir, npm_config_cache: path.join(dir, '.npm-cache') };
  const port = await freePort();
  const started = performance.now();
  const install = await runCommand(['npm', 'install', '--no-audit', '--no-fund'], { env, cwd: dir, timeoutMs: 600_000 });
  if (install.exitCode !== 0) throw new Error(`npm install: ${install.stderr}`);
  const vite = spawnChild(['npx', 'vite', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], { env, cwd: dir, stdio: 'ignore' });
  try {
    while ((await localGet(port)) !== 200) await sleep(20);
    return performance.now() - started;
  } finally {
    signalGroup(vite, 'SIGKILL');
    await sleep(200);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function untilEdge200(t: TestBerth, url: string, pathname = '/'): Promise<void> {
  const host = new URL(url).host;
  const deadline = performance.now() + 600_000;
  while ((await edgeGet(t.berth.edgePort, host, pathname, { authorization: `Bearer ${t.key}` })).status !== 200) {
    if (performance.now() > deadline) throw new Error(`${url} never answered 200`);
    await sleep(20);
  }
}

/** POST a session for the version, then the page through the edge until 200. */
async function startPreview(t: TestBerth, versionId: string): Promise<{ elapsedMs: number; session: { id: string; previewUrl: string } }> {
  const started = performance.now();
  const created = await t.request('POST', '/api/app-preview-sessions', { body: { appVersionId: versionId } });
  if (created.status !== 201) throw new Error(JSON.stringify(created.body));
  const keep = setInterval(() => void t.request('POST', `/api/apps/preview/${created.body.id}/keepalive`), 1_000);
  try {
    const host = new URL(created.body.previewUrl).host;
    for (;;) {
      const got = await edgeGet(t.berth.edgePort, host, '/', { authorization: `Bearer ${t.key}` });
      if (got.status === 200) break;
      const state = (await t.request('GET', `/api/apps/preview/${created.body.id}`)).body;
      if (state.status === 'failed') throw new Error(`preview failed: ${state.error}`);
      await sleep(20);
    }
    return { elapsedMs: performance.now() - started, session: created.body };
  } finally {
    clearInterval(keep);
  }
}

const t = await startTestBerth('sqlite', { env: { BERTH_PREVIEW_MAX_PER_WORKSPACE: '50' } });
try {
  const files = previewProjectFiles();
  const cold: number[] = [];
  const hand: number[] = [];
  const cached: number[] = [];
  let last: { versionId: string; session: { id: string; previewUrl: string } } | null = null;
  for (let round = 0; round < rounds; round++) {
    const { versionId } = await appWithFiles(t.request, `Bench ${round}`, files);
    const berthFirst = round % 2 === 0;
    if (!berthFirst) hand.push(await byHand());
    const first = await startPreview(t, versionId);
    cold.push(first.elapsedMs);
    if (berthFirst) hand.push(await byHand());
    // A second session of the same app: its dependency cache is warm.
    await t.request('DELETE', `/api/apps/preview/${first.session.id}`);
    const again = await startPreview(t, versionId);
    cached.push(again.elapsedMs);
    if (last) await t.request('DELETE', `/api/apps/preview/${last.session.id}`);
    last = { versionId, session: again.session };
    console.log(`round ${round + 1}: cold ${ms(first.elapsedMs)}, by hand ${ms(hand.at(-1) ?? NaN)}, dependency cache warm ${ms(again.elapsedMs)}`);
  }
  if (!last) throw new Error('no rounds');

  const wakes: number[] = [];
  for (let i = 0; i < 10; i++) wakes.push((await startPreview(t, last.versionId)).elapsedMs);

  const writes: number[] = [];
  const host = new URL(last.session.previewUrl).host;
  for (let i = 0; i < 10; i++) {
    const marker = `Change ${i} ${Date.now()}`;
    const started = performance.now();
    const patched = await t.request('PATCH', `/api/app-versions/${last.versionId}/files`, { body: { path: 'src/App.jsx', content: `export default function App() { return <h1>${marker}</h1>; }\n` } });
    if (patched.status !== 200) throw new Error(JSON.stringify(patched.body));
    for (;;) {
      const got = await edgeGet(t.berth.edgePort, host, '/src/App.jsx', { authorization: `Bearer ${t.key}` });
      if (got.body.includes(marker)) break;
      if (performance.now() - started > 30_000) throw new Error('the change never showed');
      await sleep(5);
    }
    writes.push(performance.now() - started);
    await sleep(300);
  }
  await untilEdge200(t, last.session.previewUrl);

  const coldMedian = median(cold);
  const handMedian = median(hand);
  console.log('');
  console.log(`cold preview start → first 200 (install included), median of ${rounds}: ${ms(coldMedian)}`);
  console.log(`by hand (npm install && npx vite → first 200), median of ${rounds}: ${ms(handMedian)}`);
  const ratios = cold.map((c, i) => c / (hand[i] ?? NaN));
  console.log(`ratio cold / by hand: ${(coldMedian / handMedian).toFixed(2)}x of the medians; per round ${ratios.map((r) => r.toFixed(2)).join(', ')}, median ${median(ratios).toFixed(2)}x (target ≤ 1.2x)`);
  console.log(`second session of the same app (dependency cache), median: ${ms(median(cached))} (${(median(cached) / handMedian).toFixed(2)}x by hand)`);
  console.log(`warm wake → 200, median of 10: ${ms(median(wakes))}, max ${ms(Math.max(...wakes))} (target ≤ 300 ms)`);
  console.log(`file write → change visible through the edge, median of 10: ${ms(median(writes))}, max ${ms(Math.max(...writes))} (target ≤ 500 ms)`);
} finally {
  await t.close();
}
