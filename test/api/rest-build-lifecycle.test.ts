// What a client of the REST dialect (spec 003) sees of a build and a deploy over time, in process,
// on SQLite and PostgreSQL: a deploy goes pending → running → completed, pending while it waits
// behind the app's earlier deploy; scripts marked executable through the files API run in the
// build and in the deployed revision (and fail to, unmarked).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { edgeGet } from '../support/edge-get.js';
import { backends, startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';

const order = ['pending', 'running', 'completed', 'failed'];

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
    expect(first.body).toMatchObject({ status: 'pending', completedAt: null });
    expect(second.body).toMatchObject({ status: 'pending', completedAt: null });

    // What a client polling both sees, in order.
    const seen: { first: string[]; second: string[] } = { first: [], second: [] };
    const note = (list: string[], status: string) => list.at(-1) !== status && list.push(status);
    await poll(
      async () => {
        const [a, b] = await Promise.all([first, second].map(async (d) => (await t.request('GET', `/api/apps/${app.id}/deploys/${d.body.id}`)).body));
        note(seen.first, a.status);
        note(seen.second, b.status);
        // The second does not start while the first has not ended.
        if (a.status !== 'completed' && a.status !== 'failed') expect(b.status).toBe('pending');
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
});
