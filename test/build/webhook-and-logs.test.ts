// A push webhook (good, bad and missing signatures, other branches), the deploy log (the app's
// own start command), the live build log over WebSocket and SSE (replay, then follow, then an end
// event), and cancelling builds.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startGitServer } from '../support/git-http-server.js';
import type { GitRepo, GitServer } from '../support/git-http-server.js';
import type { TestBerth } from '../support/test-berth.js';
import { buildLog, createApp, deploy, edgeJson, startBuildBerth, waitForDeployment, ws } from './support.js';

const server = (text: string) => `require('node:http').createServer((q, s) => s.end(JSON.stringify({ text: ${JSON.stringify(text)} }))).listen(Number(process.env.PORT));\n`;
const slowBuild = (ms: number) => JSON.stringify({ name: 'slow', scripts: { build: `node -e "console.log('step one'); setTimeout(() => console.log('step two'), ${ms})"` } });

describe('push webhook', () => {
  let t: TestBerth;
  let git: GitServer;
  let repo: GitRepo;
  let appId: string;
  let hook: { url: string; secret: string };

  beforeAll(async () => {
    git = await startGitServer();
    repo = git.createRepo('hooked', { Procfile: 'web: node server.js\n', 'server.js': server('one') });
    t = await startBuildBerth();
    appId = await createApp(t, { name: 'Hooked', slug: 'hooked', gitRepoUrl: repo.url, autoDeploy: true });
    const res = await t.request('POST', ws(t, `/apps/${appId}/webhook`));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ appId, url: `${t.url}/api/v1/webhooks/apps/${appId}/push`, contentType: 'application/json', events: ['push'] });
    expect(res.body.secret).toMatch(/^whsec_[0-9a-f]{48}$/);
    hook = res.body;
  });
  afterAll(async () => {
    await t?.close();
    await git?.close();
  });

  const send = (body: string, headers: Record<string, string>) =>
    fetch(hook.url, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-github-event': 'push', ...headers } }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
  const sign = (body: string, secret = hook.secret) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
  const push = (branch: string, sha: string) => JSON.stringify({ ref: `refs/heads/${branch}`, after: sha, head_commit: { message: 'pushed' }, repository: { full_name: 'org/hooked' } });

  it('deploys a signed push to the app branch', { timeout: 120_000 }, async () => {
    const sha = repo.commit('pushed', { 'server.js': server('pushed') });
    const body = push('main', sha);
    const res = await send(body, { 'x-hub-signature-256': sign(body) });
    expect(res.status).toBe(202);
    expect(res.body.deployed).toBe(true);
    const done = await waitForDeployment(t, res.body.deploymentId);
    expect(done).toMatchObject({ status: 'succeeded', triggerType: 'WEBHOOK', gitCommitSha: sha, gitCommitMessage: 'pushed', gitBranch: 'main' });
    expect(await edgeJson(t, 'hooked')).toEqual({ text: 'pushed' });
    // The log shows the app's own start command, not Berth's wrapper around it.
    const log = await buildLog(t, res.body.deploymentId);
    expect(log).toContain('[deploy] starting the new revision: node server.js');
    expect(log.join('\n')).not.toMatch(/\/usr\/bin\/env|PYTHONUNBUFFERED/);
  });

  it('answers 401 to a bad or missing signature and deploys nothing', async () => {
    const body = push('main', repo.head());
    expect((await send(body, { 'x-hub-signature-256': sign(body, 'whsec_wrong') })).status).toBe(401);
    expect((await send(body, { 'x-hub-signature-256': sign(`${body} `) })).status).toBe(401);
    expect((await send(body, {})).status).toBe(401);
    const other = await fetch(`${t.url}/api/v1/webhooks/apps/app_unknown/push`, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(body) } });
    expect(other.status).toBe(401);
    const list = await t.request('GET', ws(t, `/deploy?appId=${appId}`));
    expect(list.body.meta.total).toBe(1);
  });

  it('ignores pushes to other branches and pings', async () => {
    const body = push('feature', repo.head());
    expect(await send(body, { 'x-hub-signature-256': sign(body) })).toEqual({ status: 200, body: { deployed: false, reason: 'the push is to feature, not main' } });
    const ping = JSON.stringify({ zen: 'hi' });
    expect((await send(ping, { 'x-github-event': 'ping', 'x-hub-signature-256': sign(ping) })).body).toEqual({ deployed: false, reason: 'pong' });
  });

  it('a rotated secret replaces the old one', async () => {
    const old = hook.secret;
    hook = (await t.request('POST', ws(t, `/apps/${appId}/webhook`))).body;
    const body = push('feature', repo.head());
    expect((await send(body, { 'x-hub-signature-256': sign(body, old) })).status).toBe(401);
    expect((await send(body, { 'x-hub-signature-256': sign(body) })).status).toBe(200);
  });
});

describe('live build logs and cancelling', () => {
  let t: TestBerth;
  let git: GitServer;
  let repo: GitRepo;
  let appId: string;

  beforeAll(async () => {
    git = await startGitServer();
    repo = git.createRepo('logged', { Procfile: 'web: node server.js\n', 'server.js': server('one'), 'package.json': slowBuild(1500) });
    t = await startBuildBerth();
    appId = await createApp(t, { name: 'Logged', slug: 'logged', gitRepoUrl: repo.url });
  });
  afterAll(async () => {
    await t?.close();
    await git?.close();
  });

  /** `query` instead of the header, as a browser's WebSocket must. */
  function followWs(id: string, query = ''): Promise<any[]> {
    return new Promise((resolve, reject) => {
      const messages: any[] = [];
      const headers = query === '' ? { authorization: `Bearer ${t.key}` } : {};
      const socket = new WebSocket(`${t.url.replace('http', 'ws')}${ws(t, `/deploy/${id}/logs/stream`)}${query}`, { headers });
      socket.on('message', (data) => messages.push(JSON.parse(String(data))));
      socket.on('close', () => resolve(messages));
      socket.on('unexpected-response', (req, res) => {
        req.destroy();
        reject(new Error(`upgrade refused with ${res.statusCode}`));
      });
      socket.on('error', reject);
    });
  }

  async function followSse(id: string): Promise<{ lines: any[]; end: any }> {
    const res = await fetch(`${t.url}${ws(t, `/deploy/${id}/logs/stream`)}`, { headers: { authorization: `Bearer ${t.key}` } });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const text = await res.text();
    const events = text.split('\n\n').filter((e) => e.includes('data: '));
    const lines = events.filter((e) => !e.startsWith('event: end')).map((e) => JSON.parse(e.slice(e.indexOf('data: ') + 6)));
    const endEvent = events.find((e) => e.startsWith('event: end'));
    return { lines, end: endEvent ? JSON.parse(endEvent.slice(endEvent.indexOf('data: ') + 6)) : null };
  }

  it('WebSocket and SSE followers get every line in order, live, then the end', { timeout: 120_000 }, async () => {
    const queued = await deploy(t, { appId });
    const [socketMessages, sse] = await Promise.all([followWs(queued.id), followSse(queued.id)]);
    const stored = await buildLog(t, queued.id);
    const socketLines = socketMessages.filter((m) => m.event === undefined);
    expect(socketLines.map((m) => m.line)).toEqual(stored);
    expect(socketLines.map((m) => m.seq)).toEqual(stored.map((_l, i) => i + 1));
    expect(socketMessages.at(-1)).toEqual({ event: 'end', status: 'succeeded', error: null });
    expect(sse.lines.map((l) => l.line)).toEqual(stored);
    expect(sse.end).toEqual({ status: 'succeeded', error: null });
    expect(stored).toEqual(expect.arrayContaining(['step one', 'step two']));
    expect(stored.indexOf('step one')).toBeLessThan(stored.indexOf('step two'));
  });

  it('a follower that comes after the end gets the whole log and the end', async () => {
    const [last] = (await t.request('GET', ws(t, `/deploy?appId=${appId}&limit=1`))).body.data;
    const sse = await followSse(last.id);
    expect(sse.lines.map((l) => l.line)).toEqual(await buildLog(t, last.id));
    expect(sse.end.status).toBe('succeeded');
    const res = await fetch(`${t.url}${ws(t, `/deploy/${last.id}/logs/stream`)}`);
    expect(res.status).toBe(401);
  });

  it('browsers, which cannot send headers, give the key as ?token= (WebSocket and EventSource)', async () => {
    const [last] = (await t.request('GET', ws(t, `/deploy?appId=${appId}&limit=1`))).body.data;
    const stored = await buildLog(t, last.id);
    const messages = await followWs(last.id, `?token=${encodeURIComponent(t.key)}`);
    expect(messages.filter((m) => m.event === undefined).map((m) => m.line)).toEqual(stored);
    expect(messages.at(-1)).toMatchObject({ event: 'end', status: 'succeeded' });
    const sse = await fetch(`${t.url}${ws(t, `/deploy/${last.id}/logs/stream`)}?token=${encodeURIComponent(t.key)}`);
    expect(sse.status).toBe(200);
    expect(await sse.text()).toContain('event: end');
    // A refused upgrade once left its socket open, and Berth's close (afterAll) then hung.
    await expect(followWs(last.id, '?token=dor_sk_not_a_key')).rejects.toThrow('upgrade refused with 401');
    // Only the streams take ?token=: the plain log endpoint still wants the header.
    expect((await fetch(`${t.url}${ws(t, `/deploy/${last.id}/logs`)}?token=${encodeURIComponent(t.key)}`)).status).toBe(401);
  });

  it('the whole log is there the moment the deployment is terminal', { timeout: 120_000 }, async () => {
    const failing = git.createRepo('fails-fast', {
      Procfile: 'web: node server.js\n',
      'server.js': server('never'),
      'package.json': JSON.stringify({ name: 'fails-fast', scripts: { build: `node -e "console.error('last words'); process.exit(7)"` } }),
    });
    const failingApp = await createApp(t, { name: 'Fails fast', slug: 'fails-fast', gitRepoUrl: failing.url });
    const { id } = await deploy(t, { appId: failingApp });
    let done: any;
    for (let i = 0; i < 20_000 && !['succeeded', 'failed', 'cancelled'].includes(done?.status); i++) {
      done = (await t.request('GET', ws(t, `/deploy/${id}`))).body;
    }
    const log = await buildLog(t, id);
    expect(done.status).toBe('failed');
    expect(log).toContain('last words');
    expect(log.at(-1)).toBe(`[deploy] ${done.error}`);
  });

  it('cancels a queued deployment at once and a building one by killing its build', { timeout: 120_000 }, async () => {
    repo.commit('slower', { 'package.json': slowBuild(60_000) });
    const building = await deploy(t, { appId });
    const queued = await deploy(t, { appId }); // same app: waits for the first
    for (let i = 0; i < 400; i++) {
      const log = await buildLog(t, building.id);
      if (log.includes('step one')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const cancelQueued = await t.request('POST', ws(t, `/deploy/${queued.id}/cancel`));
    expect(cancelQueued.body).toMatchObject({ status: 'cancelled', error: 'Cancelled' });
    expect((await t.request('POST', ws(t, `/deploy/${building.id}/cancel`))).status).toBe(200);
    const done = await waitForDeployment(t, building.id, 30_000);
    expect(done).toMatchObject({ status: 'cancelled', error: 'Cancelled' });
    expect((await buildLog(t, building.id)).at(-1)).toBe('[deploy] Cancelled');
    expect((await t.request('POST', ws(t, `/deploy/${building.id}/cancel`))).status).toBe(409);
    expect(await edgeJson(t, 'logged')).toEqual({ text: 'one' });
  });
});
