// What the deploy benchmarks share: a deployment followed through its live build log (SSE, as a
// dashboard would: no polling while it builds), the first 200 through the edge once the new
// revision starts, and the same steps run by hand for comparison.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { GitRepo, GitServer } from '../../test/support/git-http-server.js';
import type { TestBerth } from '../../test/support/test-berth.js';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const expressFixture = path.resolve(import.meta.dirname, '../../test/fixtures/express-app');

/** A new app of the Express fixture with content of its own (as a new app would have), on `git`. */
export async function createExpressApp(t: TestBerth, git: GitServer, slug: string): Promise<GitRepo> {
  const repo = git.createRepo(slug, expressFixture);
  repo.commit(`app ${slug}`, { 'app.txt': `app ${slug}\n` });
  const res = await t.request('POST', `/api/v1/workspaces/${t.workspaceId}/apps`, { body: { name: slug, slug, gitRepoUrl: repo.url, visibility: 'public' } });
  if (res.status !== 201) throw new Error(`create app answered ${res.status}`);
  return repo;
}

export function get(port: number, host: string): Promise<{ status: number; body: string }> {
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

export async function untilServed(port: number, host: string, expect: string, timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await get(port, host);
    if (res.status === 200 && res.body.includes(expect)) return;
    if (Date.now() > deadline) throw new Error(`${host} never served ${expect}`);
    await sleep(10);
  }
}

export interface LogLine {
  /** Milliseconds since the epoch, as Berth stamped the line. */
  at: number;
  text: string;
}

/**
 * Follows a deployment's build log over SSE; `onLine` sees each line as it comes. Resolves with
 * the final status when the log ends; `stop` ends the stream early.
 */
export function followBuildLog(t: TestBerth, deploymentId: string, onLine: (line: LogLine) => void): { ended: Promise<{ status: string; error: string | null }>; stop(): void } {
  const controller = new AbortController();
  const ended = (async () => {
    const response = await fetch(`${t.url}/api/v1/workspaces/${t.workspaceId}/deploy/${deploymentId}/logs/stream`, {
      headers: { authorization: `Bearer ${t.key}` },
      signal: controller.signal,
    });
    const decoder = new TextDecoder();
    let buffered = '';
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffered += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffered.indexOf('\n\n')) >= 0) {
        const event = buffered.slice(0, end).split('\n');
        buffered = buffered.slice(end + 2);
        const data = event.find((l) => l.startsWith('data: '))?.slice('data: '.length);
        if (!data) continue;
        if (event.includes('event: end')) return JSON.parse(data) as { status: string; error: string | null };
        const line = JSON.parse(data) as { at: string; line: string };
        onLine({ at: Date.parse(line.at), text: line.line });
      }
    }
    return { status: 'unknown', error: 'the log stream closed without an end event' };
  })();
  return { ended, stop: () => controller.abort() };
}

/**
 * Deploys `slug` and resolves with the milliseconds from the deploy call to the first 200 from the
 * new revision (a body containing `expect`) through the edge.
 */
export async function timedDeploy(t: TestBerth, slug: string, expect: string, onLine: (line: LogLine) => void = () => undefined): Promise<number> {
  const started = performance.now();
  const res = await t.request('POST', `/api/v1/workspaces/${t.workspaceId}/deploy`, { body: { appId: slug } });
  if (res.status !== 201) throw new Error(`deploy answered ${res.status}`);
  let starting: () => void = () => undefined;
  const revisionStarting = new Promise<void>((resolve) => (starting = resolve));
  const log = followBuildLog(t, res.body.id, (line) => {
    if (line.text.startsWith('[deploy] starting the new revision')) starting();
    onLine(line);
  });
  const failed = log.ended.then((end) => {
    if (end.status !== 'succeeded') throw new Error(`deployment ${end.status}: ${end.error}`);
    return new Promise<never>(() => undefined); // succeeded: the edge decides when it is served
  });
  try {
    await Promise.race([revisionStarting.then(() => untilServed(t.berth.edgePort, `${slug}.localhost`, expect)), failed]);
    return performance.now() - started;
  } finally {
    log.stop();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/** Asynchronous: the git server answers from this very process. */
function run(cmd: string, args: string[], cwd?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: 'ignore', env: { ...process.env, npm_config_update_notifier: 'false' } });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} failed`))));
  });
}

/**
 * The same steps by hand: clone, npm ci with an empty cache, start, first 200. Returns the total
 * and when each step ended (ms from the start). The tree is left for `removeLater`: removing it
 * now would slow whatever runs next (the disk discards what a removal frees).
 */
export async function byHand(repo: GitRepo, expect: string, removeLater: string[]): Promise<{ totalMs: number; steps: Record<string, number> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bench-hand-'));
  removeLater.push(dir);
  const started = performance.now();
  const steps: Record<string, number> = {};
  await run('git', ['clone', '-q', '--depth', '1', '--branch', 'main', repo.url, path.join(dir, 'app')]);
  steps.cloned = performance.now() - started;
  await run('npm', ['ci', '--no-audit', '--no-fund', '--cache', path.join(dir, 'npm-cache')], path.join(dir, 'app'));
  steps['npm ci done'] = performance.now() - started;
  const port = await freePort();
  const child = spawn('node', ['server.js'], { cwd: path.join(dir, 'app'), env: { ...process.env, PORT: String(port) }, stdio: 'ignore' });
  try {
    await untilServed(port, 'localhost', expect);
    steps['first 200'] = performance.now() - started;
    return { totalMs: steps['first 200'], steps };
  } finally {
    child.kill('SIGKILL');
  }
}
