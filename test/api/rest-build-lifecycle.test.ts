// What a client of the REST dialect (spec 003) sees of a build and a deploy over time, in process,
// on SQLite and PostgreSQL: a deploy goes pending → running → completed, pending while it waits
// behind the app's earlier deploy; scripts marked executable through the files API run in the
// build and in the deployed revision (and fail to, unmarked); a build cancelled while queued or
// running ends at once with its reason, its processes killed and its scratch space gone, and
// cancelling an ended build is a 409; a build's log followed live (SSE) until the build ends.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { edgeGet } from '../support/edge-get.js';
import { expectError } from '../support/expect-error.js';
import { backends, startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';

const order = ['pending', 'running', 'completed', 'failed'];

interface SseEvent {
  event: string;
  data: any;
}

/** Reads a whole SSE response (until the server closes it); `onEvent` sees each event as it arrives. */
async function readSse(url: string, headers: Record<string, string>, onEvent: (e: SseEvent) => Promise<void> = async () => undefined): Promise<{ status: number; type: string | null; events: SseEvent[]; comments: string[]; body: string }> {
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: AbortSignal.timeout(90_000) });
  const events: SseEvent[] = [];
  const comments: string[] = [];
  let all = '';
  if (response.body) {
    let buffer = '';
    for await (const chunk of response.body.pipeThrough(new TextDecoderStream())) {
      all += chunk;
      buffer += chunk;
      for (let cut = buffer.indexOf('\n\n'); cut >= 0; cut = buffer.indexOf('\n\n')) {
        const block = buffer.slice(0, cut).split('\n');
        buffer = buffer.slice(cut + 2);
        comments.push(...block.filter((l) => l.startsWith(':')));
        const data = block.find((l) => l.startsWith('data: '));
        if (data === undefined) continue;
        const e = { event: block.find((l) => l.startsWith('event: '))?.slice(7) ?? 'message', data: JSON.parse(data.slice(6)) };
        events.push(e);
        await onEvent(e);
      }
    }
  }
  return { status: response.status, type: response.headers.get('content-type'), events, comments, body: all };
}

/** Pids of processes whose command line holds `marker` (the build's sandboxed ones included). */
function processesWith(marker: string): number[] {
  const found: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(marker)) found.push(Number(entry));
    } catch {
      // It ended while we looked.
    }
  }
  return found;
}

/** A node server that answers `text` once it has waited `delayMs` before listening (a slow start). */
const slowServer = (text: string, delayMs: number) =>
  `setTimeout(() => require('http').createServer((req, res) => res.end(${JSON.stringify(text)})).listen(Number(process.env.PORT), '0.0.0.0'), ${delayMs});\n`;

describe.each(backends)('REST build and deploy lifecycle on %s', (backend) => {
  let t: TestBerth;

  const write = (versionId: string, path: string, content: string) => t.request('POST', `/api/app-versions/${versionId}/files`, { body: { path, content } });
  const poll = async <T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, ms = 120_000): Promise<T> => {
    const end = Date.now() + ms;
    for (;;) {
      const value = await read();
      if (done(value)) return value;
      if (Date.now() > end) throw new Error(`${what}: still ${JSON.stringify(value)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const getBuild = async (appId: string, id: string) => (await t.request('GET', `/api/apps/${appId}/builds/${id}`)).body;
  const finishedBuild = (appId: string, id: string) => poll(() => getBuild(appId, id), (b) => ['completed', 'failed'].includes(b.status), `build ${id}`);

  beforeAll(async () => {
    t = await startTestBerth(backend, { via: 'inject' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('shows a deploy pending while it waits behind the app’s earlier deploy, then running, then completed', { timeout: 180_000 }, async () => {
    const app = (await t.request('POST', '/api/apps', { body: { name: 'Two deploys', publicAccess: true } })).body;
    const v = app.defaultVersionId;
    await write(v, 'package.json', JSON.stringify({ name: 'two', private: true, scripts: { start: 'node server.js' } }));
    await write(v, 'server.js', slowServer('one', 1_500));
    const one = await finishedBuild(app.id, (await t.request('POST', `/api/apps/${app.id}/builds`)).body.id);
    await t.request('PATCH', `/api/app-versions/${v}/files`, { body: { path: 'server.js', content: slowServer('two', 1_500) } });
    const two = await finishedBuild(app.id, (await t.request('POST', `/api/apps/${app.id}/builds`)).body.id);
    expect([one.status, two.status]).toEqual(['completed', 'completed']);

    const first = await t.request('POST', `/api/apps/${app.id}/builds/${one.id}/deploy`);
    const second = await t.request('POST', `/api/apps/${app.id}/builds/${two.id}/deploy`);
    expect([first.status, second.status]).toEqual([201, 201]);
    // Answered before either rollout started.
    expect(first.body).toMatchObject({ status: 'pending', startedAt: null, completedAt: null });
    expect(second.body).toMatchObject({ status: 'pending', startedAt: null, completedAt: null });

    // What a client polling both sees, in order.
    const seen: { first: string[]; second: string[] } = { first: [], second: [] };
    const note = (list: string[], status: string) => list.at(-1) !== status && list.push(status);
    await poll(
      async () => {
        const [a, b] = await Promise.all([first, second].map(async (d) => (await t.request('GET', `/api/apps/${app.id}/deploys/${d.body.id}`)).body));
        note(seen.first, a.status);
        note(seen.second, b.status);
        // The second does not start while the first has not ended.
        if (a.status !== 'completed' && a.status !== 'failed') expect(b).toMatchObject({ status: 'pending', startedAt: null });
        if (a.status === 'running') expect(a.startedAt).toEqual(expect.any(String));
        return [a, b];
      },
      ([, b]) => b.status === 'completed' || b.status === 'failed',
      'the second deploy',
    );
    expect(seen.first).toEqual(['pending', 'running', 'completed'].slice(['pending', 'running', 'completed'].indexOf(seen.first[0] ?? '')));
    expect(seen.first).toContain('running');
    expect(seen.second[0]).toBe('pending');
    expect(seen.second.at(-1)).toBe('completed');
    // Never backwards.
    for (const list of [seen.first, seen.second]) expect([...list].sort((x, y) => order.indexOf(x) - order.indexOf(y))).toEqual(list);
    expect(await edgeGet(t.berth.edgePort, `${app.handle}.localhost`, '/')).toEqual({ status: 200, body: 'two' });
  });

  it('runs scripts marked executable in the build and in the revision, and says why an unmarked one fails', { timeout: 180_000 }, async () => {
    const app = (await t.request('POST', '/api/apps', { body: { name: 'Scripts', publicAccess: true } })).body;
    const v = app.defaultVersionId;
    await write(v, 'package.json', JSON.stringify({ name: 'scripts', private: true, scripts: { build: './bin/build.sh', start: './bin/start.sh' } }));
    await write(v, 'server.js', "require('http').createServer((req, res) => res.end(require('fs').readFileSync('built.txt', 'utf8'))).listen(Number(process.env.PORT), '0.0.0.0');\n");
    expect((await t.request('POST', `/api/app-versions/${v}/files`, { body: { path: 'bin/build.sh', content: '#!/bin/sh\necho built by a script > built.txt\n' } })).status).toBe(201);
    expect((await t.request('POST', `/api/app-versions/${v}/files`, { body: { path: 'bin/start.sh', content: '#!/bin/sh\nexec node server.js\n', executable: true } })).status).toBe(201);

    // bin/build.sh is not executable yet: the build fails and its log says so.
    const refused = await finishedBuild(app.id, (await t.request('POST', `/api/apps/${app.id}/builds`)).body.id);
    expect(refused.status).toBe('failed');
    expect((await t.request('GET', refused.logUrl)).body.data.join('\n')).toMatch(/bin\/build\.sh: Permission denied/);

    expect((await t.request('PATCH', `/api/app-versions/${v}/files`, { body: { path: 'bin/build.sh', content: '#!/bin/sh\necho built by a script > built.txt\n', executable: true } })).status).toBe(200);
    const built = await finishedBuild(app.id, (await t.request('POST', `/api/apps/${app.id}/builds`)).body.id);
    expect(built, JSON.stringify(built)).toMatchObject({ status: 'completed', error: null });
    expect(built.sourceDigest).not.toBe(refused.sourceDigest);
    const deploy = (await t.request('POST', `/api/apps/${app.id}/deploy`)).body;
    const done = await poll(async () => (await t.request('GET', `/api/apps/${app.id}/deploys/${deploy.id}`)).body, (d) => ['completed', 'failed'].includes(d.status), 'deploy');
    expect(done, JSON.stringify(done)).toMatchObject({ status: 'completed' });
    expect(await edgeGet(t.berth.edgePort, `${app.handle}.localhost`, '/')).toEqual({ status: 200, body: 'built by a script\n' });
  });

  it('cancels a queued build and a running one (its processes killed, nothing left), and refuses to cancel an ended one', { timeout: 120_000 }, async () => {
    const app = (await t.request('POST', '/api/apps', { body: { name: 'Cancelled' } })).body;
    const v = app.defaultVersionId;
    const marker = `berth-cancel-marker-${backend}-${process.pid}`;
    await write(v, 'package.json', JSON.stringify({ name: 'cancelled', private: true, scripts: { build: `node wait.js ${marker}` } }));
    await write(v, 'wait.js', 'setInterval(() => console.log("still building"), 200);\n');
    const running = (await t.request('POST', `/api/apps/${app.id}/builds`)).body;
    // Never two builds of an app at once: this one waits in the queue.
    const queued = (await t.request('POST', `/api/apps/${app.id}/builds`)).body;
    const logSays = async (text: string) => ((await t.request('GET', `/api/apps/${app.id}/builds/${running.id}/log`)).body.data as string[]).some((line) => line.includes(text));
    await poll(async () => ({ pids: processesWith(marker), said: await logSays('still building') }), (s) => s.pids.length > 0 && s.said, 'the build to run its step');
    expect((await getBuild(app.id, queued.id)).status).toBe('pending');

    const cancelledQueued = await t.request('POST', `/api/apps/${app.id}/builds/${queued.id}/cancel`);
    expect(cancelledQueued.status, JSON.stringify(cancelledQueued.body)).toBe(200);
    expect(cancelledQueued.body).toMatchObject({ id: queued.id, status: 'cancelled', error: 'Cancelled on request', startedAt: null, completedAt: expect.any(String) });

    const cancelled = await t.request('POST', `/api/apps/${app.id}/builds/${running.id}/cancel`);
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    expect(cancelled.body).toMatchObject({ id: running.id, status: 'cancelled', error: 'Cancelled on request', artifactDigest: null, completedAt: expect.any(String) });
    // The answer came once the build had ended: its processes and scratch space are gone.
    expect(processesWith(marker)).toEqual([]);
    expect(fs.existsSync(path.join(t.dataDir, 'builds', 'work', running.id))).toBe(false);
    const log = (await t.request('GET', cancelled.body.logUrl)).body;
    expect(log.status).toBe('cancelled');
    expect(log.data.at(-1)).toBe('[build] Cancelled on request');
    // Listed as cancelled too, never as a build that failed.
    const listed = (await t.request('GET', `/api/apps/${app.id}/builds`)).body.data;
    expect(listed.filter((b: { id: string }) => b.id === queued.id || b.id === running.id).map((b: { status: string }) => b.status)).toEqual(['cancelled', 'cancelled']);

    expectError(await t.request('POST', `/api/apps/${app.id}/builds/${running.id}/cancel`), 409, `Build ${running.id} has already ended, so it cannot be cancelled`);
    expectError(await t.request('POST', `/api/apps/${app.id}/builds/bld_nope/cancel`), 404, 'Build not found');
    // The app builds again after a cancel.
    await t.request('PATCH', `/api/app-versions/${v}/files`, { body: { path: 'package.json', content: JSON.stringify({ name: 'cancelled', private: true, scripts: { build: 'mkdir -p dist && echo ok > dist/index.html' } }) } });
    const next = await finishedBuild(app.id, (await t.request('POST', `/api/apps/${app.id}/builds`)).body.id);
    expect(next.status).toBe('completed');
    expectError(await t.request('POST', `/api/apps/${app.id}/builds/${next.id}/cancel`), 409, `Build ${next.id} has already ended, so it cannot be cancelled`);
  });

  it('follows a build’s log live over SSE until the build ends, then replays a finished one and closes', { timeout: 120_000 }, async () => {
    const app = (await t.request('POST', '/api/apps', { body: { name: 'Followed' } })).body;
    const v = app.defaultVersionId;
    await write(v, 'package.json', JSON.stringify({ name: 'followed', private: true, scripts: { build: 'node build.js' } }));
    // Waits for a go-ahead file after its first line, so the test can look while the build runs.
    await write(v, 'build.js', "const fs = require('fs');\nconsole.log('step one');\nconst wait = setInterval(() => { if (!fs.existsSync('go-ahead')) return; clearInterval(wait); console.log('step two'); fs.mkdirSync('dist', { recursive: true }); fs.writeFileSync('dist/index.html', 'ok'); }, 100);\nsetTimeout(() => fs.writeFileSync('go-ahead', ''), 1500);\n");
    const build = (await t.request('POST', `/api/apps/${app.id}/builds`)).body;
    const stream = `${t.url}/api/apps/${app.id}/builds/${build.id}/log/stream`;
    let statusAtStepOne = '';
    const live = await readSse(stream, { authorization: `Bearer ${t.key}` }, async (e) => {
      if (e.event === 'message' && e.data.line.includes('step one')) statusAtStepOne = (await getBuild(app.id, build.id)).status;
    });
    expect(live.status).toBe(200);
    expect(live.type).toMatch(/^text\/event-stream/);
    expect(live.comments[0]).toBe(': connected');
    // A line arrived while the build was still running: it was followed, not read afterwards.
    expect(statusAtStepOne).toBe('running');
    const lines = live.events.filter((e) => e.event === 'message').map((e) => e.data);
    expect(lines.map((l) => l.seq)).toEqual(lines.map((_, i) => i + 1));
    expect(lines[0]).toEqual({ seq: 1, at: expect.stringMatching(/^\d{4}-/), line: expect.any(String) });
    const text = lines.map((l) => l.line);
    expect(text.findIndex((l) => l.includes('step one'))).toBeLessThan(text.findIndex((l) => l.includes('step two')));
    expect(live.events.at(-1)).toEqual({ event: 'end', data: { status: 'completed', error: null } });
    // The same lines as the whole log.
    expect(text).toEqual((await t.request('GET', `/api/apps/${app.id}/builds/${build.id}/log`)).body.data);

    // A finished build: everything at once, the end, and the stream closes; ?token= for EventSource.
    const replay = await readSse(`${stream}?token=${t.key}`, {});
    expect(replay.events.filter((e) => e.event === 'message').map((e) => e.data.line)).toEqual(text);
    expect(replay.events.at(-1)).toEqual({ event: 'end', data: { status: 'completed', error: null } });
    const missing = await fetch(`${t.url}/api/apps/${app.id}/builds/bld_nope/log/stream`, { headers: { authorization: `Bearer ${t.key}` } });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ statusCode: 404, message: 'Build not found', error: 'Not Found' });
  });
});
