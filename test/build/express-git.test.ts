// An Express app with a lockfile, from a git server on loopback: deployed, answering through the
// edge, changed and redeployed (warm: the dependency cache skips the install), deployed by exact
// commit, rolled back, and rolled onto the current env; the deploy list pages newest first.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitServer } from '../support/git-http-server.js';
import type { GitRepo, GitServer } from '../support/git-http-server.js';
import type { TestBerth } from '../support/test-berth.js';
import { buildLog, createApp, deploy, edgeJson, fixturesDir, startBuildBerth, waitForDeployment, ws } from './support.js';

describe('an Express app from git', () => {
  let t: TestBerth;
  let git: GitServer;
  let repo: GitRepo;
  let appId: string;
  const ids: string[] = [];

  beforeAll(async () => {
    git = await startGitServer();
    repo = git.createRepo('shop', path.join(fixturesDir, 'express-app'));
    t = await startBuildBerth();
    appId = await createApp(t, { name: 'Shop', slug: 'shop', gitRepoUrl: repo.url });
  });
  afterAll(async () => {
    await t?.close();
    await git?.close();
  });

  it('builds the app, records the commit and serves it through the edge', { timeout: 240_000 }, async () => {
    const queued = await deploy(t, { appId });
    expect(queued).toMatchObject({ status: 'queued', appId, gitBranch: 'main', triggerType: 'MANUAL' });
    const done = await waitForDeployment(t, queued.id);
    expect(done.error).toBeNull();
    expect(done).toMatchObject({ status: 'succeeded', gitCommitSha: repo.head(), gitCommitMessage: 'initial commit', buildpack: 'node-npm', revisionName: 'shop-00001' });
    expect(done.imageRef).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(typeof done.durationSeconds).toBe('number');
    expect(await edgeJson(t, 'shop')).toMatchObject({ message: 'hello', revision: 'shop-00001' });
    // As root, the npm ci above ran in a network namespace of its own, out through NAT.
    expect(t.berth.runtime.isolation.networkNamespaces).toBe(process.getuid?.() === 0);
    const log = await buildLog(t, queued.id);
    expect(log.find((l) => l.startsWith('[plan]'))).toBe('[plan] Detected a Node.js project (npm, package-lock.json)');
    expect(log).toContain('[plan] start: node server.js (package.json start script)');
    expect(log.some((l) => l.includes('npm ci'))).toBe(true);
    ids.push(queued.id);
  });

  it('redeploys a change without reinstalling unchanged dependencies', { timeout: 240_000 }, async () => {
    const sha = repo.commit('change the message', { 'message.txt': 'changed\n' });
    const done = await waitForDeployment(t, (await deploy(t, { appId: 'shop' })).id);
    expect(done).toMatchObject({ status: 'succeeded', gitCommitSha: sha, gitCommitMessage: 'change the message', revisionName: 'shop-00002' });
    const log = await buildLog(t, done.id);
    expect(log.some((l) => l.startsWith('[cache] dependencies unchanged'))).toBe(true);
    expect(log.some((l) => l.includes('$ npm ci'))).toBe(false);
    expect(await edgeJson(t, 'shop')).toMatchObject({ message: 'changed', revision: 'shop-00002' });
    ids.push(done.id);
  });

  it('deploys an exact commit when gitCommitSha is given', { timeout: 240_000 }, async () => {
    const first = (await t.request('GET', ws(t, `/deploy/${ids[0]}`))).body.gitCommitSha;
    const done = await waitForDeployment(t, (await deploy(t, { appId, gitBranch: 'main', gitCommitSha: first })).id);
    expect(done).toMatchObject({ status: 'succeeded', gitCommitSha: first, revisionName: 'shop-00003' });
    expect(await edgeJson(t, 'shop')).toMatchObject({ message: 'hello' });
    ids.push(done.id);
  });

  it('rolls back to an earlier deployment, which becomes a new deployment', { timeout: 120_000 }, async () => {
    const res = await t.request('POST', ws(t, `/deploy/${ids[1]}/rollback`));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'deploying', rolledBackFrom: ids[1], triggerType: 'ROLLBACK', gitCommitMessage: 'change the message' });
    const done = await waitForDeployment(t, res.body.id);
    expect(done).toMatchObject({ status: 'succeeded', revisionName: 'shop-00004' });
    expect(await edgeJson(t, 'shop')).toMatchObject({ message: 'changed', revision: 'shop-00004' });
    ids.push(done.id);
  });

  it('rolls the current artifact onto the current env with an ENV_CHANGE deployment', { timeout: 120_000 }, async () => {
    expect((await t.request('POST', ws(t, `/apps/${appId}/env-vars`), { body: { key: 'GREETING', value: 'hi' } })).status).toBe(201);
    const res = await t.request('POST', ws(t, `/apps/${appId}/env-vars/sync`));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ triggerType: 'ENV_CHANGE', status: 'deploying' });
    const done = await waitForDeployment(t, res.body.id);
    expect(done).toMatchObject({ status: 'succeeded', revisionName: 'shop-00005' });
    expect(await edgeJson(t, 'shop')).toMatchObject({ message: 'changed', greeting: 'hi', revision: 'shop-00005' });
    ids.push(done.id);
  });

  it('lists deployments newest first, paged and filtered by status', async () => {
    const all = await t.request('GET', ws(t, `/deploy?appId=shop&limit=2`));
    expect(all.status).toBe(200);
    expect(all.body.meta).toEqual({ total: 5, page: 1, limit: 2, totalPages: 3 });
    expect(all.body.data.map((d: any) => d.id)).toEqual([ids[4], ids[3]]);
    const page3 = await t.request('GET', ws(t, `/deploy?appId=${appId}&limit=2&page=3`));
    expect(page3.body.data.map((d: any) => d.id)).toEqual([ids[0]]);
    const failed = await t.request('GET', ws(t, `/deploy?appId=${appId}&status=failed`));
    expect(failed.body).toEqual({ data: [], meta: { total: 0, page: 1, limit: 20, totalPages: 0 } });
    expect((await t.request('GET', ws(t, '/deploy'))).status).toBe(400);
  });
});
