// Deleting an app while something of it is in flight (issue 9): queued, building, running its
// release command, rolling out a build, rolling back, syncing env. Each time the deployment ends
// `cancelled` with the reason, and after the drain timeout no process of the app is left: not an
// instance of any revision, not a build step, not a release command.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactDir } from '../support/app-fixtures.js';
import type { TestBerth } from '../support/test-berth.js';
import { startTestBerth } from '../support/test-berth.js';
import { apiClient, uploadSource } from './support/api-client.js';
import { createApp, wsPath } from './support/berth-actions.js';
import { until } from './support/edge-client.js';
import { processesOfDir } from './support/proc-scan.js';

const drainTimeoutMs = 1_000;

/** Listens after START_DELAY_MS (so a rollout can be caught waiting for it); answers its revision. */
const server = `const http = require('http');
setTimeout(() => {
  http.createServer((req, res) => res.end(String(process.env.BERTH_REVISION))).listen(Number(process.env.PORT), '127.0.0.1');
}, Number(process.env.START_DELAY_MS || 0));
process.on('SIGTERM', () => process.exit(0));
`;

/** A Node project whose build step hangs while BUILD_SLOW is set. */
const project = {
  'package.json': JSON.stringify({ name: 'inflight', version: '1.0.0', scripts: { build: 'node build.js', start: 'node server.js' } }),
  'build.js': "if (process.env.BUILD_SLOW) setTimeout(() => {}, 120000);\n",
  'server.js': server,
};

function serverDir(): string {
  const dir = artifactDir();
  fs.writeFileSync(path.join(dir, 'server.js'), server);
  return dir;
}

describe('deleting an app while it is in flight', () => {
  let t: TestBerth;
  const deployments = (appId: string) => t.request('GET', wsPath(t, `/deploy?appId=${appId}&limit=100`));
  const deployment = async (id: string) => (await t.request('GET', wsPath(t, `/deploy/${id}`))).body;
  const logOf = async (id: string) => ((await t.request('GET', wsPath(t, `/deploy/${id}/logs`))).body.logs as string[]).join('\n');
  const setEnv = (appId: string, key: string, value: string) => t.request('POST', wsPath(t, `/apps/${appId}/env-vars`), { body: { key, value } });

  /** Everywhere a process of the app may run: every revision's tree, every deployment's build space. */
  async function appDirs(appId: string): Promise<string[]> {
    const revisions = await t.berth.store.revisions.list(appId);
    const ids = ((await deployments(appId)).body.data as { id: string }[]).map((d) => d.id);
    const builds = path.join(t.dataDir, 'builds');
    return [...revisions.map((r) => r.artifactDir), ...ids.flatMap((id) => [path.join(builds, 'work', id), path.join(builds, 'revisions', id)])];
  }

  /** Deletes, then checks the deployment's end and that nothing of the app runs once the drain timeout is over. */
  async function deleteAndCheck(appId: string, inFlight: string): Promise<void> {
    const dirs = await appDirs(appId);
    expect((await t.request('DELETE', wsPath(t, `/apps/${appId}`))).status).toBe(204);
    const ended = await until(() => deployment(inFlight), (d) => d.status !== 'queued' && d.status !== 'building' && d.status !== 'deploying', 15_000);
    expect(ended).toMatchObject({ status: 'cancelled', error: 'Cancelled: the app was deleted' });
    await new Promise((r) => setTimeout(r, drainTimeoutMs + 1_500));
    expect((await t.berth.runtime.list()).filter((i) => i.appId === appId && i.phase !== 'exited')).toEqual([]);
    expect(dirs.flatMap((dir) => processesOfDir(dir))).toEqual([]);
    // Nothing started later either (a warm-up or a rollout finishing after the delete).
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await t.berth.runtime.list()).filter((i) => i.appId === appId && i.phase !== 'exited')).toEqual([]);
  }

  async function deployUpload(appId: string): Promise<string> {
    const uploadId = await uploadSource(apiClient(t.url, t.key), t.workspaceId, appId, project);
    const res = await t.request('POST', wsPath(t, '/deploy'), { body: { appId, source: { type: 'UPLOAD', uploadId } } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  }

  async function deployedApp(slug: string): Promise<string> {
    const appId = await createApp(t, { name: slug, slug, visibility: 'public' });
    const result = await t.berth.core.deployArtifact({ appId, artifactDir: serverDir(), command: ['/usr/bin/node', 'server.js'], imageRef: `dir:${slug}`, triggerType: 'MANUAL' });
    expect(result.deployment.status).toBe('succeeded');
    return appId;
  }

  beforeAll(async () => {
    t = await startTestBerth('sqlite', {
      env: { BERTH_DRAIN_TIMEOUT_MS: String(drainTimeoutMs), BERTH_BUILD_CONCURRENCY: '1', BERTH_READY_TIMEOUT_MS: '60000' },
    });
  });
  afterAll(async () => t?.close());

  it('while queued, and while building', async () => {
    const blocker = await createApp(t, { name: 'blocker', slug: 'blocker', visibility: 'public' });
    await setEnv(blocker, 'BUILD_SLOW', '1');
    const building = await deployUpload(blocker);
    await until(() => logOf(building), (log) => log.includes('[build] $ npm run build'), 60_000);
    const queuedApp = await createApp(t, { name: 'waiting', slug: 'waiting', visibility: 'public' });
    const queued = await deployUpload(queuedApp);
    expect((await deployment(queued)).status).toBe('queued');
    await deleteAndCheck(queuedApp, queued);
    expect(await logOf(queued)).toContain('Cancelled: the app was deleted');
    await deleteAndCheck(blocker, building);
  });

  it('while its release command runs', async () => {
    const appId = await deployedApp('releasing');
    await t.request('PATCH', wsPath(t, `/apps/${appId}`), { body: { releaseCommand: 'sleep 60' } });
    const sync = await t.request('POST', wsPath(t, `/apps/${appId}/env-vars/sync`));
    expect(sync.status).toBe(201);
    await until(() => logOf(sync.body.id), (log) => log.includes('[release] $ sleep 60'), 15_000);
    await new Promise((r) => setTimeout(r, 300)); // the sleep is running
    await deleteAndCheck(appId, sync.body.id);
  });

  it('while a build rolls out', async () => {
    const appId = await createApp(t, { name: 'rolling', slug: 'rolling', visibility: 'public' });
    await setEnv(appId, 'START_DELAY_MS', '60000');
    const id = await deployUpload(appId);
    await until(() => logOf(id), (log) => log.includes('[deploy] starting the new revision'), 90_000);
    await deleteAndCheck(appId, id);
  });

  it('while rolling back', async () => {
    const appId = await deployedApp('rewinding');
    const first = ((await deployments(appId)).body.data as { id: string }[])[0]?.id ?? '';
    await t.berth.core.deployArtifact({ appId, artifactDir: serverDir(), command: ['/usr/bin/node', 'server.js'], imageRef: 'dir:rewinding-2', triggerType: 'MANUAL' });
    await setEnv(appId, 'START_DELAY_MS', '60000');
    const rollback = await t.request('POST', wsPath(t, `/deploy/${first}/rollback`));
    expect(rollback.status).toBe(201);
    await until(() => logOf(rollback.body.id), (log) => log.includes('[deploy] starting the new revision'), 15_000);
    await deleteAndCheck(appId, rollback.body.id);
  });

  it('while syncing env', async () => {
    const appId = await deployedApp('syncing');
    await setEnv(appId, 'START_DELAY_MS', '60000');
    const sync = await t.request('POST', wsPath(t, `/apps/${appId}/env-vars/sync`));
    expect(sync.status).toBe(201);
    await until(() => logOf(sync.body.id), (log) => log.includes('[deploy] starting the new revision'), 15_000);
    await deleteAndCheck(appId, sync.body.id);
  });
});
