// App builds (spec 003) share the durable build queue: with BERTH_BUILD_CONCURRENCY=1 another
// app's build waits; when Berth stops mid-build the running build fails with that reason, one
// left `running` by a crash fails at the next start, the queued one runs after the restart; deleting
// an app stops its running build.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { interruptedBuildReason } from '../../src/domain/app-build.js';
import { appDeletedReason } from '../../src/domain/deployment.js';
import { startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';

describe('app builds in the durable build queue', () => {
  let dataDir: string;
  let t: TestBerth | null = null;
  const start = () => startTestBerth('sqlite', { via: 'inject', env: { BERTH_BUILD_CONCURRENCY: '1' }, dataDir });
  const files = (versionId: string, entries: Record<string, string>) =>
    Promise.all(Object.entries(entries).map(([p, content]) => t?.request('POST', `/api/app-versions/${versionId}/files`, { body: { path: p, content } })));

  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-app-builds-'));
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('fails the interrupted build, fails one a crash left running, and runs the queued one after the restart', { timeout: 120_000 }, async () => {
    t = await start();
    const slow = (await t.request('POST', '/api/apps', { body: { name: 'Slow build' } })).body;
    const quick = (await t.request('POST', '/api/apps', { body: { name: 'Quick build' } })).body;
    await files(slow.defaultVersionId, { 'package.json': JSON.stringify({ name: 'slow', scripts: { build: `node -e "console.log('building slowly'); setTimeout(() => {}, 120000)"` } }) });
    await files(quick.defaultVersionId, { 'index.html': 'quick' });
    const building = (await t.request('POST', `/api/apps/${slow.id}/builds`)).body;
    const log = async () => (await t?.request('GET', `/api/apps/${slow.id}/builds/${building.id}/log`))?.body.data as string[];
    for (let i = 0; i < 600 && !(await log()).includes('building slowly'); i++) await new Promise((r) => setTimeout(r, 100));
    const waiting = (await t.request('POST', `/api/apps/${quick.id}/builds`)).body;
    await new Promise((r) => setTimeout(r, 500));
    expect((await t.request('GET', `/api/apps/${quick.id}/builds/${waiting.id}`)).body.status).toBe('pending');
    // As a SIGKILL leaves it: a build the store says is running, which no process runs.
    const crashed = await t.berth.store.appBuilds.create({ ...(await t.berth.store.appBuilds.byId(waiting.id))!, id: 'bld_crashed', status: 'running', createdAt: new Date() });

    await t.close();
    t = await start();
    const interrupted = (await t.request('GET', `/api/apps/${slow.id}/builds/${building.id}`)).body;
    expect(interrupted).toMatchObject({ status: 'failed', error: 'Interrupted: Berth stopped while this build was in progress', completedAt: expect.any(String) });
    expect((await t.request('GET', `/api/apps/${quick.id}/builds/${crashed.id}`)).body).toMatchObject({ status: 'failed', error: interruptedBuildReason });
    let done = (await t.request('GET', `/api/apps/${quick.id}/builds/${waiting.id}`)).body;
    for (let i = 0; i < 600 && !['completed', 'failed'].includes(done.status); i++) {
      await new Promise((r) => setTimeout(r, 100));
      done = (await t.request('GET', `/api/apps/${quick.id}/builds/${waiting.id}`)).body;
    }
    expect(done).toMatchObject({ status: 'completed', error: null, buildpack: 'static' });
  });

  it('stops a running build when its app is deleted', { timeout: 60_000 }, async () => {
    t ??= await start();
    const app = (await t.request('POST', '/api/apps', { body: { name: 'Deleted mid-build' } })).body;
    await files(app.defaultVersionId, { 'package.json': JSON.stringify({ name: 'slow', scripts: { build: `node -e "console.log('building slowly'); setTimeout(() => {}, 120000)"` } }) });
    const build = (await t.request('POST', `/api/apps/${app.id}/builds`)).body;
    const log = async () => (await t?.request('GET', `/api/apps/${app.id}/builds/${build.id}/log`))?.body.data as string[];
    for (let i = 0; i < 600 && !(await log()).includes('building slowly'); i++) await new Promise((r) => setTimeout(r, 100));
    expect((await t.request('DELETE', `/api/apps/${app.id}`)).body).toEqual({ success: true });
    let stored = await t.berth.store.appBuilds.byId(build.id);
    for (let i = 0; i < 300 && stored?.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      stored = await t.berth.store.appBuilds.byId(build.id);
    }
    expect(stored).toMatchObject({ status: 'cancelled', error: appDeletedReason });
  });
});
