// Parity (issue 13): the same scenario driven through the Dooor dialect (specs 000/001) and
// through the Apps API (spec 002), each on a Berth of its own, leaves the same core state: the
// app's settings, its revisions (names, status, env, artifact, commit), its traffic, its env and
// its deployments. Create from git with env and 2 replicas, deploy, change the env (set one,
// delete one) and roll it out, scale to 1, revert to the first deployment.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settingsOf } from '../../src/domain/app.js';
import type { Store } from '../../src/core/ports/store.js';
import { startGitServer } from '../support/git-http-server.js';
import type { GitServer } from '../support/git-http-server.js';
import { backends, startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';

const terminal = ['succeeded', 'failed', 'cancelled'];

async function settled(t: TestBerth, deploymentId: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const d = await t.berth.store.deployments.byId(deploymentId);
    if (d && terminal.includes(d.status)) {
      expect(d.status, d.error ?? '').toBe('succeeded');
      return;
    }
    if (Date.now() > deadline) throw new Error(`deployment ${deploymentId} still ${d?.status}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** What the core holds for the app, without ids and times (which differ between the two runs). */
async function coreState(store: Store, appId: string) {
  const app = await store.apps.byId(appId);
  if (!app) throw new Error('no app');
  const revisions = await store.revisions.list(appId);
  const traffic = await store.traffic.get(appId);
  const env = await store.envVars.list(appId);
  const deployments = await store.deployments.listAll(appId);
  return {
    app: { ...settingsOf(app), status: app.status, sourceType: app.sourceType, replicas: app.replicas, gitProvider: app.gitProvider, imageRef: app.imageRef },
    revisions: revisions.map((r) => ({ name: r.name, status: r.status, env: r.env, imageRef: r.imageRef, command: r.config.command, commit: r.provenance?.gitCommitSha ?? null })),
    traffic: traffic.map((s) => ({ revision: s.revisionName, percent: s.percent, tag: s.tag })),
    env: Object.fromEntries(env.map((v) => [v.key, { value: v.value, secret: v.isSecret }])),
    deployments: deployments.map((d) => ({ status: d.status, trigger: d.triggerType, revision: d.revisionName, reused: d.reusedRevision, branch: d.gitBranch, commit: d.gitCommitSha })),
  };
}

describe.each(backends)('the same scenario through both dialects leaves the same core state (%s)', (backend) => {
  let git: GitServer;
  let dooor: TestBerth;
  let appsV1: TestBerth;
  let repoUrl = '';
  const env = { BERTH_ALLOW_PRIVATE_NETWORKS: '1', BERTH_READY_TIMEOUT_MS: '20000' };

  beforeAll(async () => {
    git = await startGitServer();
    repoUrl = git.createRepo('parity', { 'index.html': '<h1>parity</h1>' }).url;
    [dooor, appsV1] = await Promise.all([startTestBerth(backend, { via: 'inject', env }), startTestBerth(backend, { via: 'inject', env })]);
  });
  afterAll(async () => {
    await Promise.all([dooor?.close(), appsV1?.close()]);
    await git?.close();
  });

  async function throughDooor(): Promise<string> {
    const t = dooor;
    const ws = (rest: string) => `/api/v1/workspaces/${t.workspaceId}${rest}`;
    const ok = async (method: string, url: string, body?: unknown) => {
      const res = await t.request(method, url, body === undefined ? {} : { body });
      expect(res.status, `${method} ${url}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
      return res.body;
    };
    const app = await ok('POST', ws('/apps'), { name: 'Parity App', slug: 'parity-app', gitRepoUrl: repoUrl, gitBranch: 'main', visibility: 'public' });
    await ok('POST', ws(`/apps/${app.id}/env-vars/bulk`), { vars: [{ key: 'A', value: '1' }, { key: 'B', value: '2' }] });
    await ok('POST', ws('/deploy/scale'), { appId: app.id, replicas: 2 });
    const first = await ok('POST', ws('/deploy'), { appId: app.id });
    await settled(t, first.id);
    await ok('POST', ws(`/apps/${app.id}/env-vars`), { key: 'B', value: '3' });
    await ok('DELETE', ws(`/apps/${app.id}/env-vars/A`));
    await settled(t, (await ok('POST', ws(`/apps/${app.id}/env-vars/sync`))).id);
    await ok('POST', ws('/deploy/scale'), { appId: app.id, replicas: 1 });
    await settled(t, (await ok('POST', ws(`/deploy/${first.id}/rollback`))).id);
    return app.id;
  }

  async function throughAppsV1(): Promise<string> {
    const t = appsV1;
    const ok = async (method: string, url: string, body?: unknown) => {
      const res = await t.request(method, url, body === undefined ? {} : { body });
      expect(res.status, `${method} ${url}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
      return res.body;
    };
    const app = await ok('POST', '/api/v1/apps', { name: 'Parity App', source_type: 'git', repo_url: repoUrl, repo_branch: 'main', replicas: 2, env: { A: '1', B: '2' } });
    await settled(t, app.deployment.id);
    await settled(t, (await ok('PATCH', `/api/v1/apps/${app.slug}`, { env: { B: '3', A: null } })).deployment.id);
    await ok('PATCH', `/api/v1/apps/${app.slug}`, { replicas: 1 });
    await settled(t, (await ok('POST', `/api/v1/apps/${app.slug}/deployments/${app.deployment.id}/revert`)).id);
    return app.id;
  }

  it('apps, revisions, traffic, env and deployments are the same', async () => {
    const [dooorApp, appsV1App] = await Promise.all([throughDooor(), throughAppsV1()]);
    const [a, b] = await Promise.all([coreState(dooor.berth.store, dooorApp), coreState(appsV1.berth.store, appsV1App)]);
    expect(b).toEqual(a);
    // And the state is the one the scenario describes.
    expect(a.app).toMatchObject({ slug: 'parity-app', sourceType: 'GIT', gitRepoUrl: repoUrl, replicas: 1, visibility: 'public', status: 'active' });
    expect(a.revisions.map((r) => r.name)).toEqual(['parity-app-00003', 'parity-app-00002', 'parity-app-00001']);
    expect(a.revisions[0]?.env).toEqual({ B: '3' });
    expect(a.traffic).toEqual([{ revision: 'parity-app-00003', percent: 100, tag: null }]);
    expect(a.env).toEqual({ B: { value: '3', secret: false } });
    expect(a.deployments.map((d) => d.trigger)).toEqual(['ROLLBACK', 'ENV_CHANGE', 'MANUAL']);
  }, 300_000);
});
