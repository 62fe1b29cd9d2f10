// Benchmark (not a test) of builds and deploys on the Express fixture, served by a git server on
// loopback: time from the deploy call to the first response of the new revision through the
// edge, cold (a new app: empty dependency cache) and warm (a change with an unchanged lockfile),
// next to the same steps run by hand in this script (git clone, npm ci with an empty cache,
// start, first 200). Rounds are interleaved and medians kept: the machine may be shared.
// Run: npx tsx bench/deploy.ts [rounds]     Targets: warm <= 3 s; cold within 15 % of by hand.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startGitServer } from '../test/support/git-http-server.js';
import type { GitRepo } from '../test/support/git-http-server.js';
import { startTestBerth } from '../test/support/test-berth.js';
import type { TestBerth } from '../test/support/test-berth.js';

const rounds = Number(process.argv[2] ?? 3);
const fixture = path.resolve(import.meta.dirname, '../test/fixtures/express-app');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function get(port: number, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/', headers: { host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', () => resolve({ status: 0, body: '' }));
    req.end();
  });
}

async function untilServed(port: number, host: string, expect: string, timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await get(port, host);
    if (res.status === 200 && res.body.includes(expect)) return;
    if (Date.now() > deadline) throw new Error(`${host} never served ${expect}`);
    await sleep(10);
  }
}

async function berthDeploy(t: TestBerth, slug: string, expect: string): Promise<number> {
  const started = performance.now();
  const res = await t.request('POST', `/api/v1/workspaces/${t.workspaceId}/deploy`, { body: { appId: slug } });
  if (res.status !== 201) throw new Error(`deploy answered ${res.status}`);
  await Promise.race([
    untilServed(t.berth.edgePort, `${slug}.localhost`, expect),
    (async () => {
      for (;;) {
        const d = await t.request('GET', `/api/v1/workspaces/${t.workspaceId}/deploy/${res.body.id}`);
        if (d.body.status === 'failed') throw new Error(`deployment failed: ${d.body.error}`);
        await sleep(200);
      }
    })(),
  ]);
  return performance.now() - started;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/** The same steps by hand: clone, npm ci (empty cache), start, first 200. */
async function byHand(repo: GitRepo, expect: string): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bench-hand-'));
  const started = performance.now();
  // Asynchronous: the git server answers from this very process.
  const run = (cmd: string, args: string[], cwd?: string) =>
    new Promise<void>((resolve, reject) => {
      const child = spawn(cmd, args, { cwd, stdio: 'ignore', env: { ...process.env, npm_config_update_notifier: 'false' } });
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} failed`))));
    });
  await run('git', ['clone', '-q', '--depth', '1', '--branch', 'main', repo.url, path.join(dir, 'app')]);
  await run('npm', ['ci', '--no-audit', '--no-fund', '--cache', path.join(dir, 'npm-cache')], path.join(dir, 'app'));
  const port = await freePort();
  const child = spawn('node', ['server.js'], { cwd: path.join(dir, 'app'), env: { ...process.env, PORT: String(port) }, stdio: 'ignore' });
  try {
    await untilServed(port, 'localhost', expect);
    return performance.now() - started;
  } finally {
    child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const git = await startGitServer();
  const t = await startTestBerth('sqlite', { env: { BERTH_ALLOW_PRIVATE_NETWORKS: '1' } });
  const cold: number[] = [];
  const warm: number[] = [];
  const hand: number[] = [];
  try {
    for (let round = 1; round <= rounds; round++) {
      const slug = `bench${round}`;
      const repo = git.createRepo(slug, fixture);
      await t.request('POST', `/api/v1/workspaces/${t.workspaceId}/apps`, { body: { name: slug, slug, gitRepoUrl: repo.url, visibility: 'public' } });
      hand.push(await byHand(repo, '"message":"hello"'));
      cold.push(await berthDeploy(t, slug, `${slug}-00001`));
      repo.commit(`round ${round}`, { 'message.txt': `round ${round}\n` });
      warm.push(await berthDeploy(t, slug, `round ${round}`));
      console.log(`round ${round}: by hand ${seconds(hand.at(-1) ?? 0)}, cold ${seconds(cold.at(-1) ?? 0)}, warm ${seconds(warm.at(-1) ?? 0)}`);
    }
  } finally {
    await t.close();
    await git.close();
  }
  const [h, c, w] = [median(hand), median(cold), median(warm)];
  console.log('\nExpress fixture (72 packages), deploy call → first 200 from the new revision, median of', rounds, 'rounds:');
  console.log(`  by hand (clone, npm ci with an empty cache, start): ${seconds(h)}`);
  console.log(`  Berth cold (new app, empty dependency cache):        ${seconds(c)}  = ${(c / h).toFixed(2)}× by hand (target ≤ 1.15×)`);
  console.log(`  Berth warm (changed code, same lockfile):            ${seconds(w)}  = ${(w / h).toFixed(2)}× by hand (target ≤ 3 s)`);
}

await main();
