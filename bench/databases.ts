// Benchmark (not a test) of managed databases. Create → RUNNING for SQLITE and POSTGRES through
// the API, POSTGRES next to the same steps by hand in this script (initdb, start, first
// connection), and pgbench (select-only, 4 clients) through the path an attached app uses (the
// socket directory bound into a mount namespace, as into an app's sandbox) against pgbench on the host's
// path to the same server, as a ratio. Rounds alternate which side goes first.
// Run: npx tsx bench/databases.ts [rounds]   Targets: POSTGRES ≤ 5 s, SQLITE ≤ 100 ms, pgbench ratio ≥ 0.9.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { runCommand } from '../src/engine/spawn.js';
import { findPostgres } from '../src/engine/databases/postgres-binaries.js';
import { startTestBerth, type TestBerth } from '../test/support/test-berth.js';

const rounds = Number(process.argv[2] ?? 5);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const ms = (value: number) => `${value.toFixed(0)} ms`;
const ENV = { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8' };
const sleep = (n: number) => new Promise((r) => setTimeout(r, n));

async function createAndWait(t: TestBerth, engine: string, slug: string): Promise<{ id: string; elapsedMs: number }> {
  const started = performance.now();
  const created = await t.request('POST', `/api/v1/workspaces/${t.workspaceId}/databases`, { body: { name: slug, slug, engine, storageGb: 1 } });
  let status = created.body.status as string;
  while (status === 'PROVISIONING') {
    await sleep(20);
    status = (await t.request('GET', `/api/v1/workspaces/${t.workspaceId}/databases/${created.body.id}`)).body.status;
  }
  if (status !== 'RUNNING') throw new Error(`${engine} ended ${status}`);
  return { id: created.body.id, elapsedMs: performance.now() - started };
}

/** initdb, postgres on a socket, first connection: what Berth does, by hand. */
async function byHand(): Promise<number> {
  const install = findPostgres();
  const bin = install.versions.values().next().value as string;
  const user = install.user!;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-pg-'));
  fs.chmodSync(dir, 0o755);
  fs.chownSync(dir, user.uid, user.gid);
  const as = (argv: string[]) => ['/usr/bin/setpriv', `--reuid=${user.uid}`, `--regid=${user.gid}`, '--clear-groups', '--', ...argv];
  const started = performance.now();
  await runCommand(as([path.join(bin, 'initdb'), '-D', path.join(dir, 'data'), '-U', 'bench', '--auth=trust', '-E', 'UTF8', '--no-instructions']), { env: ENV, timeoutMs: 120_000, cwd: '/' });
  const server = await runCommand(as([path.join(bin, 'pg_ctl'), '-D', path.join(dir, 'data'), '-o', `-c listen_addresses= -c unix_socket_directories=${dir}`, '-w', 'start', '-l', path.join(dir, 'log')]), { env: ENV, timeoutMs: 60_000, cwd: '/' });
  if (server.exitCode !== 0) throw new Error(server.stderr);
  const client = new pg.Client({ host: dir, user: 'bench', database: 'postgres' });
  await client.connect();
  await client.end();
  const elapsed = performance.now() - started;
  await runCommand(as([path.join(bin, 'pg_ctl'), '-D', path.join(dir, 'data'), '-m', 'immediate', 'stop']), { env: ENV, timeoutMs: 60_000, cwd: '/' });
  fs.rmSync(dir, { recursive: true, force: true });
  return elapsed;
}

/** Transactions per second of a 5 s select-only pgbench, from the host or as an attached app sees the socket. */
async function pgbench(socketDir: string, connection: { username: string; password: string; database: string }, asApp: boolean): Promise<number> {
  const args = ['/usr/bin/pgbench', '-S', '-c', '4', '-j', '2', '-T', '5', '-n', '-h', asApp ? '/mnt' : socketDir, '-U', connection.username, connection.database];
  const argv = asApp ? ['/usr/bin/bwrap', '--dev-bind', '/', '/', '--bind', socketDir, '/mnt', '--', ...args] : args;
  const result = await runCommand(argv, { env: { ...ENV, PGPASSWORD: connection.password }, timeoutMs: 60_000 });
  const tps = /tps = ([\d.]+)/.exec(result.stdout)?.[1];
  if (!tps) throw new Error(`pgbench: ${result.stderr || result.stdout}`);
  return Number(tps);
}

async function main(): Promise<void> {
  const t = await startTestBerth('sqlite', { via: 'inject' });
  const sqlite: number[] = [];
  const postgres: number[] = [];
  const hand: number[] = [];
  try {
    for (let round = 1; round <= rounds; round++) {
      sqlite.push((await createAndWait(t, 'SQLITE', `lite-${round}`)).elapsedMs);
      const runBerth = async () => postgres.push((await createAndWait(t, 'POSTGRES', `pg-${round}`)).elapsedMs);
      const runHand = async () => hand.push(await byHand());
      for (const step of round % 2 ? [runBerth, runHand] : [runHand, runBerth]) await step();
      console.log(`round ${round}: SQLITE ${ms(sqlite.at(-1)!)}, POSTGRES ${ms(postgres.at(-1)!)}, by hand ${ms(hand.at(-1)!)}`);
    }
    const db = await createAndWait(t, 'POSTGRES', 'pgbench');
    const connection = (await t.request('GET', `/api/v1/workspaces/${t.workspaceId}/databases/${db.id}/connection`)).body;
    const socketDir = path.join(t.dataDir, 'volumes', db.id, 'data', 'run');
    const init = await runCommand(['/usr/bin/pgbench', '-i', '-s', '5', '-q', '-h', socketDir, '-U', connection.username, connection.database], { env: { ...ENV, PGPASSWORD: connection.password }, timeoutMs: 120_000 });
    if (init.exitCode !== 0) throw new Error(init.stderr);
    const app: number[] = [];
    const host: number[] = [];
    for (let round = 1; round <= 3; round++) {
      const steps = [async () => app.push(await pgbench(socketDir, connection, true)), async () => host.push(await pgbench(socketDir, connection, false))];
      for (const step of round % 2 ? steps : steps.reverse()) await step();
      console.log(`pgbench round ${round}: as an attached app ${app.at(-1)!.toFixed(0)} tps, host ${host.at(-1)!.toFixed(0)} tps`);
    }
    console.log(`\nManaged databases, ${rounds} rounds (medians):`);
    console.log(`  SQLITE create → RUNNING:   ${ms(median(sqlite))} (target ≤ 100 ms)`);
    console.log(`  POSTGRES create → RUNNING: ${ms(median(postgres))} (target ≤ 5 s); by hand (initdb, start, connect) ${ms(median(hand))}: ${(median(postgres) / median(hand)).toFixed(2)}× by hand`);
    console.log(`  pgbench -S, 4 clients: attached app's path ${median(app).toFixed(0)} tps vs host ${median(host).toFixed(0)} tps: ratio ${(median(app) / median(host)).toFixed(2)} (target ≥ 0.9)`);
  } finally {
    await t.close();
  }
}

await main();
