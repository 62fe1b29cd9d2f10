// What a deployment records and what pipeline-state tells of it (issue 9): a deploy without a
// source deploys the app's configured one; each stage reports only what ran; the buildpack is
// known as soon as the plan is; rollbacks and env syncs carry the commit and buildpack of the
// artifact they reuse; a first deploy that fails does not claim a previous revision serves.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitServer } from '../support/git-http-server.js';
import type { GitRepo, GitServer } from '../support/git-http-server.js';
import type { TestBerth } from '../support/test-berth.js';
import { apiClient, uploadSource } from '../e2e/support/api-client.js';
import { until } from '../e2e/support/edge-client.js';
import { buildLog, createApp, deploy, fixturesDir, startBuildBerth, viaEdge, waitForDeployment, ws } from './support.js';

const site = (text: string) => ({ 'index.html': `<p>${text}</p>` });

describe('deployment records', () => {
  let t: TestBerth;
  let git: GitServer;
  let repo: GitRepo;
  const get = async (rest: string) => (await t.request('GET', ws(t, rest))).body;
  const upload = (appId: string, files: Record<string, string>) => uploadSource(apiClient(t.url, t.key), t.workspaceId, appId, files);

  beforeAll(async () => {
    git = await startGitServer();
    repo = git.createRepo('records', site('from git'));
    t = await startBuildBerth();
  });
  afterAll(async () => {
    await t?.close();
    await git?.close();
  });

  it('deploys the configured source when the call names none: an UPLOAD app deploys its last upload', { timeout: 120_000 }, async () => {
    const appId = await createApp(t, { name: 'Switched', slug: 'switched', gitRepoUrl: repo.url });
    expect((await waitForDeployment(t, (await deploy(t, { appId })).id)).status).toBe('succeeded');
    expect((await viaEdge(t, 'switched')).body).toContain('from git');
    await upload(appId, site('first upload'));
    const latest = await upload(appId, site('latest upload'));
    expect((await t.request('PATCH', ws(t, `/apps/${appId}/source`), { body: { type: 'UPLOAD' } })).status).toBe(200);
    const done = await waitForDeployment(t, (await deploy(t, { appId })).id);
    expect(done).toMatchObject({ status: 'succeeded', gitCommitSha: null });
    expect(await buildLog(t, done.id)).toContain(`[source] extracting upload ${latest}`);
    expect((await viaEdge(t, 'switched')).body).toContain('latest upload');
  });

  it('pipeline-state reports only the stages that ran', { timeout: 120_000 }, async () => {
    const appId = await createApp(t, { name: 'Staged', slug: 'staged', gitRepoUrl: repo.url });
    const built = await waitForDeployment(t, (await deploy(t, { appId })).id);
    expect((await get(`/apps/${appId}/pipeline-state`)).build).toMatchObject({ status: 'succeeded', buildpack: 'static', imageTag: built.imageRef });

    // A branch that does not exist: the source stage failed, and no build ran.
    const missing = await waitForDeployment(t, (await deploy(t, { appId, gitBranch: 'no-such-branch' })).id);
    expect(missing.status).toBe('failed');
    const afterFetch = await get(`/apps/${appId}/pipeline-state`);
    expect(afterFetch.source).toMatchObject({ status: 'failed', message: missing.error });
    expect(afterFetch.build).toMatchObject({ status: 'not_run', imageTag: null, durationSeconds: null, message: expect.stringContaining('before any build ran') });

    // A rollback reuses an artifact: no build ran, and the stage says whose artifact it is.
    const rollback = (await t.request('POST', ws(t, `/deploy/${built.id}/rollback`))).body;
    await waitForDeployment(t, rollback.id);
    const rolled = await get(`/apps/${appId}/pipeline-state`);
    expect(rolled.build).toMatchObject({ status: 'skipped', imageTag: built.imageRef, message: `no build: reused the artifact of ${built.revisionName}` });
    expect(rolled.source.status).toBe('ok');

    // An image without a container engine fails in its source stage: no build ran either.
    await t.request('POST', ws(t, '/deploy'), { body: { appId, source: { type: 'IMAGE', imageRef: 'registry.example.com/org/app:1' } } });
    const imaged = await get(`/apps/${appId}/pipeline-state`);
    expect(imaged.build.status).toBe('not_run');
    expect(imaged.source.status).toBe('failed');
  });

  it('records the buildpack while the build still runs, and the full commit it built', { timeout: 120_000 }, async () => {
    const slow = git.createRepo('slow-build', {
      'package.json': JSON.stringify({ name: 'slow', version: '1.0.0', scripts: { build: 'node build.js', start: 'node server.js' } }),
      'build.js': "setTimeout(() => {}, 4000);\n",
      'server.js': "require('http').createServer((q, s) => s.end('slow')).listen(Number(process.env.PORT), '127.0.0.1');\n",
    });
    const appId = await createApp(t, { name: 'Slow', slug: 'slow-build', gitRepoUrl: slow.url });
    const queued = await deploy(t, { appId, gitCommitSha: slow.head().slice(0, 7) });
    expect(queued).toMatchObject({ status: 'queued', gitCommitSha: slow.head().slice(0, 7), buildpack: null });
    for (;;) {
      const log = await buildLog(t, queued.id);
      if (log.some((l) => l.includes('$ npm run build'))) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const during = await get(`/deploy/${queued.id}`);
    expect(during).toMatchObject({ status: 'building', buildpack: 'node-npm', gitCommitSha: slow.head(), gitCommitMessage: 'initial commit' });
    const done = await waitForDeployment(t, queued.id);
    expect(done).toMatchObject({ status: 'succeeded', buildpack: 'node-npm', gitCommitSha: slow.head() });
  });

  it('rollbacks and env syncs carry the commit and buildpack of the artifact they reuse', { timeout: 120_000 }, async () => {
    const app = git.createRepo('carried', site('one'));
    const appId = await createApp(t, { name: 'Carried', slug: 'carried', gitRepoUrl: app.url });
    const first = await waitForDeployment(t, (await deploy(t, { appId })).id);
    const secondSha = app.commit('second', site('two'));
    const second = await waitForDeployment(t, (await deploy(t, { appId })).id);
    expect(second.gitCommitSha).toBe(secondSha);

    const rollback = await t.request('POST', ws(t, `/deploy/${first.id}/rollback`));
    expect(rollback.body).toMatchObject({ status: 'deploying', gitCommitSha: first.gitCommitSha, gitCommitMessage: 'initial commit', buildpack: 'static' });
    await waitForDeployment(t, rollback.body.id);
    // Promote the second revision by hand: the latest succeeded deployment is then not what serves.
    await t.request('POST', ws(t, `/deploy/revisions/${second.revisionName}/promote`));
    const sync = await t.request('POST', ws(t, `/apps/${appId}/env-vars/sync`));
    expect(sync.body).toMatchObject({ status: 'deploying', triggerType: 'ENV_CHANGE', gitCommitSha: secondSha, gitCommitMessage: 'second', buildpack: 'static' });
    const synced = await waitForDeployment(t, sync.body.id);
    expect(synced).toMatchObject({ status: 'succeeded', gitCommitSha: secondSha });
  });

  it('purging an app removes the dependency cache Berth kept for it', { timeout: 240_000 }, async () => {
    const express = git.createRepo('purged', path.join(fixturesDir, 'express-app'));
    const appId = await createApp(t, { name: 'Purged', slug: 'purged', gitRepoUrl: express.url });
    expect((await waitForDeployment(t, (await deploy(t, { appId })).id)).status).toBe('succeeded');
    const cache = path.join(t.dataDir, 'builds', 'cache', appId);
    await until(async () => fs.existsSync(cache) && fs.readdirSync(cache).length > 0, Boolean, 30_000);
    expect((await t.request('DELETE', ws(t, `/apps/${appId}/permanent`))).status).toBe(204);
    expect(fs.existsSync(cache)).toBe(false);
  });

  it('a first deploy that fails says nothing was serving', { timeout: 120_000 }, async () => {
    const appId = await createApp(t, { name: 'Fresh', slug: 'fresh', gitRepoUrl: repo.url, releaseCommand: 'exit 7' });
    const done = await waitForDeployment(t, (await deploy(t, { appId })).id);
    expect(done.status).toBe('failed');
    const log = (await buildLog(t, done.id)).join('\n');
    expect(log).toContain('no revision of this app was serving, so it stays down');
    expect(log).not.toMatch(/keeps serving|traffic stays where it was/);

    // Once a revision serves, a failure says which one keeps serving.
    await t.request('PATCH', ws(t, `/apps/${appId}`), { body: { releaseCommand: null } });
    const good = await waitForDeployment(t, (await deploy(t, { appId })).id);
    await t.request('PATCH', ws(t, `/apps/${appId}`), { body: { releaseCommand: 'exit 7' } });
    const later = await waitForDeployment(t, (await deploy(t, { appId })).id);
    expect((await buildLog(t, later.id)).join('\n')).toContain(`${good.revisionName} keeps serving`);
  });
});
