// The build queue is durable: with BERTH_BUILD_CONCURRENCY=1 a second app's build waits; when
// Berth stops mid-build the running build is failed with that reason (never left hanging) and
// the queued one survives the restart and runs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitServer } from '../support/git-http-server.js';
import type { GitServer } from '../support/git-http-server.js';
import { startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';
import { buildLog, createApp, deploy, edgeJson, waitForDeployment, ws } from './support.js';

const server = (text: string) => `require('node:http').createServer((q, s) => s.end(JSON.stringify({ text: ${JSON.stringify(text)} }))).listen(Number(process.env.PORT));\n`;

describe('a durable build queue', () => {
  let git: GitServer;
  let dataDir: string;
  let t: TestBerth | null = null;
  const env = { BERTH_ALLOW_PRIVATE_NETWORKS: '1', BERTH_BUILD_CONCURRENCY: '1' };

  beforeAll(async () => {
    git = await startGitServer();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-queue-'));
  });
  afterAll(async () => {
    await t?.close();
    await git?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('fails the interrupted build, keeps the queued one, and runs it after the restart', { timeout: 180_000 }, async () => {
    const slow = git.createRepo('slow', {
      Procfile: 'web: node server.js\n',
      'server.js': server('slow'),
      'package.json': JSON.stringify({ name: 'slow', scripts: { build: `node -e "console.log('building slowly'); setTimeout(() => {}, 120000)"` } }),
    });
    const quick = git.createRepo('quick', { Procfile: 'web: node server.js\n', 'server.js': server('quick') });
    t = await startTestBerth('sqlite', { env, dataDir });
    const slowApp = await createApp(t, { name: 'Slow', slug: 'slow', gitRepoUrl: slow.url });
    const quickApp = await createApp(t, { name: 'Quick', slug: 'quick', gitRepoUrl: quick.url });
    const building = await deploy(t, { appId: slowApp });
    for (let i = 0; i < 600 && !(await buildLog(t, building.id)).includes('building slowly'); i++) await new Promise((r) => setTimeout(r, 100));
    const waiting = await deploy(t, { appId: quickApp });
    await new Promise((r) => setTimeout(r, 1000));
    expect((await t.request('GET', ws(t, `/deploy/${waiting.id}`))).body.status).toBe('queued');

    await t.close();
    t = await startTestBerth('sqlite', { env, dataDir });
    const interrupted = (await t.request('GET', ws(t, `/deploy/${building.id}`))).body;
    expect(interrupted.status).toBe('failed');
    expect(interrupted.error).toMatch(/^Interrupted: Berth (stopped|restarted)/);
    const done = await waitForDeployment(t, waiting.id);
    expect(done).toMatchObject({ status: 'succeeded', revisionName: 'quick-00001' });
    expect(await edgeJson(t, 'quick')).toEqual({ text: 'quick' });
  });
});
