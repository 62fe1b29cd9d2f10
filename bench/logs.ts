// Benchmark (not a test) of Berth's logs, against a real Berth on SQLite:
//  1. ingestion: an app prints N lines as fast as it can; lines/s from its first line to the last
//     one stored, and how many were stored, dropped or missing (target ≥ 50,000/s, none lost);
//  2. query: the newest 100 ERROR lines of an app among 5 million stored lines, through the HTTP
//     API, p50/p99 over repeated requests (target p99 ≤ 50 ms);
//  3. SSE: an app writes a line stamped with the time, the stream client measures the delay to
//     its arrival, p50/p99 (target p99 ≤ 100 ms).
// Run: npx tsx bench/logs.ts   (BENCH_LINES=1000000 BENCH_STORED=5000000 to change the sizes)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { loadConfig } from '../src/config.js';
import { startBerth } from '../src/main.js';
import type { RunningBerth } from '../src/main.js';

const ingestLines = Number(process.env.BENCH_LINES ?? 1_000_000);
const storedLines = Number(process.env.BENCH_STORED ?? 5_000_000);
const queryRounds = 300;
const sseLines = 500;

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bench-logs-'));
const appsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bench-apps-'));

function start(): Promise<RunningBerth> {
  return startBerth(loadConfig({ BERTH_PORT: '0', BERTH_EDGE_PORT: '0', BERTH_DATA_DIR: dataDir, BERTH_LOG_LEVEL: 'silent', BERTH_CGROUP_NAME: 'berth-bench-logs' }));
}

function appDir(name: string, code: string): string {
  const dir = path.join(appsDir, name);
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  fs.chmodSync(dir, 0o755);
  fs.writeFileSync(path.join(dir, 'server.js'), code);
  return dir;
}

const server = (onListen: string) => `const http = require('http');
const server = http.createServer((req, res) => res.end('ok'));
server.listen(Number(process.env.PORT), '127.0.0.1', () => { ${onListen} });
process.on('SIGTERM', () => server.close(() => process.exit(0)));`;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

async function api(berth: RunningBerth, key: string, urlPath: string) {
  const res = await fetch(`${berth.apiUrl}${urlPath}`, { headers: { authorization: `Bearer ${key}` } });
  return { status: res.status, body: (await res.json()) as any };
}

async function createApp(berth: RunningBerth, key: string, ws: string, slug: string): Promise<string> {
  const res = await fetch(`${berth.apiUrl}/api/v1/workspaces/${ws}/apps`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: slug, slug, visibility: 'public' }),
  });
  return ((await res.json()) as { id: string }).id;
}

const deploy = (berth: RunningBerth, appId: string, dir: string) =>
  berth.core.deployArtifact({ appId, artifactDir: dir, command: ['/usr/bin/node', 'server.js'], imageRef: `dir:${path.basename(dir)}`, triggerType: 'MANUAL' });

function countLines(appId: string): number {
  const db = new Database(path.join(dataDir, 'berth.db'), { readonly: true });
  try {
    return (db.prepare('select count(*) as n from log_lines where app_id = ? and stream = 0').get(appId) as { n: number }).n;
  } finally {
    db.close();
  }
}

async function benchIngestion(berth: RunningBerth, key: string, ws: string) {
  const appId = await createApp(berth, key, ws, 'chatty');
  // Prints after a short pause (so the deploy finishes first), in large writes, honouring backpressure.
  // Prints once: after the restart before the query phase it stays quiet (a marker file says so).
  const code = server(`if (!require('fs').existsSync('printed')) setTimeout(() => {
    require('fs').writeFileSync('printed', '');
    const total = ${ingestLines}; let i = 0;
    const pad = ' the quick brown fox jumps over the lazy dog';
    (function more() {
      while (i < total) {
        let chunk = '';
        for (let k = 0; k < 1000 && i < total; k++, i++) chunk += 'line ' + i + pad + '\\n';
        if (!process.stdout.write(chunk)) return process.stdout.once('drain', more);
      }
    })();
  }, 1000);`);
  await deploy(berth, appId, appDir('chatty', code));
  const started = Date.now();
  let firstAt = 0;
  let stored = 0;
  for (;;) {
    await berth.telemetry.flushLogs();
    stored = countLines(appId);
    if (stored > 0 && firstAt === 0) firstAt = Date.now();
    if (stored >= ingestLines || Date.now() - started > 180_000) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const doneAt = Date.now();
  const metrics = await (await fetch(`${berth.apiUrl}/metrics`)).text();
  const dropped = Number(new RegExp(`berth_log_lines_dropped_total\\{app_id="${appId}"\\} (\\d+)`).exec(metrics)?.[1] ?? 0);
  // From the app's first line (≤ 100 ms before it was first seen stored) to the last one stored.
  const seconds = (doneAt - firstAt + 100) / 1000;
  return { stored, dropped, missing: ingestLines - stored - dropped, seconds, rate: Math.round(stored / seconds) };
}

/**
 * Baseline, measured in the same run (the machine may be shared): the same lines inserted straight
 * into an identical scratch table with one prepared better-sqlite3 statement, 2,000 per transaction.
 */
function baselineInsertRate(lines: number): number {
  const db = new Database(path.join(dataDir, 'baseline.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`create table log_lines (seq integer primary key, app_id text not null, ts bigint not null, severity integer not null, stream integer not null,
    revision_name text not null, instance_id text not null, message text not null);
    create index a on log_lines (app_id, ts, seq); create index b on log_lines (app_id, severity, ts, seq);`);
  const insert = db.prepare('insert into log_lines values (?, ?, ?, ?, ?, ?, ?, ?)');
  const pad = ' the quick brown fox jumps over the lazy dog';
  const batch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) insert.run(i + 1, 'app_baseline', Date.now(), 1, 0, 'chatty-00001', 'chatty-00001-abcdef', `line ${i}${pad}`);
  });
  const started = performance.now();
  for (let i = 0; i < lines; i += 2_000) batch(i, Math.min(lines, i + 2_000));
  const seconds = (performance.now() - started) / 1000;
  db.close();
  fs.rmSync(path.join(dataDir, 'baseline.db'), { force: true });
  return Math.round(lines / seconds);
}

function fillStore(appId: string): number {
  const db = new Database(path.join(dataDir, 'berth.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const insert = db.prepare('insert into log_lines (seq, app_id, ts, severity, stream, revision_name, instance_id, message) values (?, ?, ?, ?, ?, ?, ?, ?)');
  const first = ((db.prepare('select max(seq) as m from log_lines').get() as { m: number | null }).m ?? 0) + 1;
  const now = Date.now();
  const started = Date.now();
  const batch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      // 2 % ERROR, 1 % WARNING, the rest INFO; 5 million lines over the last ~6 days.
      const severity = i % 50 === 0 ? 3 : i % 100 === 1 ? 2 : 1;
      insert.run(first + i, appId, now - (storedLines - i) * 100, severity, 0, 'stored-00001', 'stored-00001-abcdef', `GET /api/items/${i} 200 ${i % 97} ms request id ${i.toString(36)}`);
    }
  });
  for (let i = 0; i < storedLines; i += 50_000) batch(i, Math.min(storedLines, i + 50_000));
  db.prepare('insert into log_usage (app_id, lines, bytes) values (?, ?, ?) on conflict(app_id) do update set lines = lines + excluded.lines, bytes = bytes + excluded.bytes').run(appId, storedLines, storedLines * 120);
  db.close();
  return (Date.now() - started) / 1000;
}

async function benchQuery(berth: RunningBerth, key: string, ws: string, appId: string) {
  // Steady state: after the restart's own work (instances restarted, first statements prepared).
  await new Promise((r) => setTimeout(r, 3_000));
  for (let i = 0; i < 20; i++) await api(berth, key, `/api/v1/workspaces/${ws}/monitoring/apps/${appId}/logs?severity=ERROR&limit=100`);
  const times: number[] = [];
  let returned = 0;
  for (let i = 0; i < queryRounds; i++) {
    const t0 = performance.now();
    const res = await api(berth, key, `/api/v1/workspaces/${ws}/monitoring/apps/${appId}/logs?severity=ERROR&limit=100`);
    times.push(performance.now() - t0);
    returned = res.body.logs.length;
  }
  const pages: number[] = [];
  let token = '';
  for (let i = 0; i < 50; i++) {
    const t0 = performance.now();
    const res = await api(berth, key, `/api/v1/workspaces/${ws}/monitoring/apps/${appId}/logs?limit=100${token ? `&pageToken=${token}` : ''}`);
    pages.push(performance.now() - t0);
    token = res.body.nextPageToken;
  }
  return { returned, p50: percentile(times, 50), p99: percentile(times, 99), pageP99: percentile(pages, 99) };
}

async function benchSse(berth: RunningBerth, key: string, ws: string) {
  const appId = await createApp(berth, key, ws, 'stamped');
  const code = server(`let n = 0; if (!require('fs').existsSync('printed')) setTimeout(() => { require('fs').writeFileSync('printed', ''); const timer = setInterval(() => { process.stdout.write('stamp ' + Date.now() + '\\n'); if (++n >= ${sseLines}) clearInterval(timer); }, 10); }, 1500);`);
  await deploy(berth, appId, appDir('stamped', code));
  const res = await fetch(`${berth.apiUrl}/api/v1/workspaces/${ws}/monitoring/apps/${appId}/logs/stream`, { headers: { authorization: `Bearer ${key}` } });
  const reader = (res.body as ReadableStream<Uint8Array>).pipeThrough(new TextDecoderStream()).getReader();
  const delays: number[] = [];
  let buffer = '';
  const deadline = Date.now() + 60_000;
  while (delays.length < sseLines && Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    const at = Date.now();
    buffer += value;
    let cut = buffer.indexOf('\n\n');
    while (cut >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const match = /^data: (.*)$/m.exec(block);
      const message = match?.[1] ? (JSON.parse(match[1]) as { message: string }).message : '';
      if (message.startsWith('stamp ')) delays.push(at - Number(message.slice(6)));
      cut = buffer.indexOf('\n\n');
    }
  }
  await reader.cancel();
  return { received: delays.length, p50: percentile(delays, 50), p99: percentile(delays, 99) };
}

async function main() {
  console.log(`bench/logs: node ${process.version}, ${os.cpus().length} cpus, SQLite store in ${dataDir}`);
  let berth = await start();
  const key = fs.readFileSync(path.join(dataDir, 'admin-key'), 'utf8').trim();
  const ws = berth.bootstrap?.workspaceId ?? '';
  try {
    const baseline = baselineInsertRate(Math.min(ingestLines, 500_000));
    const ingest = await benchIngestion(berth, key, ws);
    console.log(
      `ingestion: ${ingestLines.toLocaleString()} lines printed, ${ingest.stored.toLocaleString()} stored, ${ingest.dropped} dropped, ${ingest.missing} missing in ${ingest.seconds.toFixed(2)} s → ${ingest.rate.toLocaleString()} lines/s (target ≥ 50,000/s, none lost) ${ingest.rate >= 50_000 && ingest.missing === 0 && ingest.dropped === 0 ? 'OK' : 'BELOW TARGET'}`,
    );
    console.log(`ingestion baseline (same run): bare better-sqlite3 inserts into the same table and indexes ${baseline.toLocaleString()} rows/s; Berth end to end is ${(ingest.rate / baseline).toFixed(2)} × that`);
    const sse = await benchSse(berth, key, ws);
    console.log(`sse: ${sse.received}/${sseLines} lines, delay from the app's write to the client p50 ${sse.p50} ms, p99 ${sse.p99} ms (target p99 ≤ 100 ms) ${sse.p99 <= 100 ? 'OK' : 'BELOW TARGET'}`);

    const storedApp = await createApp(berth, key, ws, 'stored');
    await berth.close();
    const fillSeconds = fillStore(storedApp);
    berth = await start();
    const q = await benchQuery(berth, key, ws, storedApp);
    console.log(`store: ${storedLines.toLocaleString()} lines of one app (+ the ingestion run's) written in ${fillSeconds.toFixed(1)} s; berth.db ${(fs.statSync(path.join(dataDir, 'berth.db')).size / 2 ** 20).toFixed(0)} MiB`);
    console.log(`query: newest 100 ERROR lines over HTTP, ${queryRounds} requests: p50 ${q.p50.toFixed(2)} ms, p99 ${q.p99.toFixed(2)} ms (target p99 ≤ 50 ms) ${q.p99 <= 50 ? 'OK' : 'BELOW TARGET'}; ${q.returned} returned`);
    console.log(`query: paging 50 × 100 lines newest first: p99 ${q.pageP99.toFixed(2)} ms`);
  } finally {
    await berth.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(appsDir, { recursive: true, force: true });
  }
}

await main();
