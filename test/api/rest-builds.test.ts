// Builds and deploys of app versions through the REST dialect (spec 003), in process, on SQLite
// and PostgreSQL: a build snapshots its version (later edits do not reach it) and turns it into an
// artifact without rolling out; deploys roll a build out, numbered per app, and the app goes
// live; build-time env reaches the build and runtime env does not; failed builds say why; bad
// ids, other workspaces and deploys with no successful build are refused and store nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anotherWorkspace } from '../support/another-workspace.js';
import { edgeGet } from '../support/edge-get.js';
import { expectError } from '../support/expect-error.js';
import { backends, startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';

const iso = expect.stringMatching(/^\d{4}-\d\d-\d\dT/);

describe.each(backends)('REST builds and deploys on %s', (backend) => {
  let t: TestBerth;
  let app: { id: string; handle: string; defaultVersionId: string };

  const write = (versionId: string, path: string, content: string, method = 'POST') => t.request(method, `/api/app-versions/${versionId}/files`, { body: { path, content } });
  const until = async <T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, ms = 120_000): Promise<T> => {
    const end = Date.now() + ms;
    for (;;) {
      const value = await read();
      if (done(value)) return value;
      if (Date.now() > end) throw new Error(`${what}: still ${JSON.stringify(value)}`);
      await new Promise((r) => setTimeout(r, 150));
    }
  };
  const finishedBuild = async (appId: string, buildId: string) =>
    (await until(() => t.request('GET', `/api/apps/${appId}/builds/${buildId}`), (r) => ['completed', 'failed'].includes(r.body.status), `build ${buildId}`)).body;
  const finishedDeploy = async (appId: string, deployId: string) =>
    (await until(() => t.request('GET', `/api/apps/${appId}/deploys/${deployId}`), (r) => ['completed', 'failed'].includes(r.body.status), `deploy ${deployId}`)).body;
  const page = (handle: string, path = '/') => edgeGet(t.berth.edgePort, `${handle}.localhost`, path);

  beforeAll(async () => {
    t = await startTestBerth(backend, { via: 'inject' });
    app = (await t.request('POST', '/api/apps', { body: { name: 'Built site', publicAccess: true } })).body;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('builds a snapshot of the default version without deploying it, then deploys the latest successful build', { timeout: 180_000 }, async () => {
    const v = app.defaultVersionId;
    await write(v, 'index.html', '<h1>first</h1>');
    await write(v, 'about/index.html', '<h1>about</h1>');
    // A slow build of another version of the app holds the queue (never two builds of an app at
    // once), so the build below starts only after the edit that follows it.
    const slow = (await t.request('POST', `/api/apps/${app.id}/versions`, { body: {} })).body;
    await write(slow.id, 'package.json', JSON.stringify({ name: 'slow', private: true, scripts: { build: 'sleep 2 && mkdir -p dist && echo slow > dist/index.html' } }));
    const slowBuild = (await t.request('POST', `/api/app-versions/${slow.id}/builds`)).body;
    const started = await t.request('POST', `/api/apps/${app.id}/builds`);
    expectError(await t.request('POST', `/api/apps/${app.id}/deploy`), 409, `No successful build of the default version ${v} yet: build ${started.body.id} is queued, deploy once it succeeds`);
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    expect(started.body).toMatchObject({ id: expect.stringMatching(/^bld_/), appId: app.id, versionId: v, status: 'pending', fileCount: 2, createdAt: iso, startedAt: null, completedAt: null });
    // Edits after the build was asked for do not reach it.
    await write(v, 'index.html', '<h1>second</h1>', 'PATCH');
    expect((await t.request('GET', `/api/apps/${app.id}/builds/${started.body.id}`)).body.status).toBe('pending');
    expect((await finishedBuild(app.id, slowBuild.id)).status).toBe('completed');

    const built = await finishedBuild(app.id, started.body.id);
    expect(built).toEqual({
      id: started.body.id,
      appId: app.id,
      workspaceId: t.workspaceId,
      versionId: v,
      status: 'completed',
      error: null,
      artifactDigest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      buildpack: 'static',
      sourceDigest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      fileCount: 2,
      logUrl: `/api/apps/${app.id}/builds/${started.body.id}/log`,
      createdBy: expect.stringMatching(/^key_/),
      createdAt: iso,
      startedAt: iso,
      completedAt: iso,
    });
    const log = (await t.request('GET', built.logUrl)).body;
    expect(log).toMatchObject({ buildId: built.id, status: 'completed' });
    expect(log.data).toContain('[source] 2 files, 28 bytes');
    expect(log.data.some((line: string) => line.startsWith(`[artifact] ${built.artifactDigest}`))).toBe(true);
    // Built, not deployed: nothing serves and the app is still a draft.
    expect((await t.request('GET', `/api/apps/${app.id}`)).body.status).toBe('draft');
    expect((await t.request('GET', `/api/apps/${app.id}/deploys`)).body).toEqual({ data: [] });

    const deploy = await t.request('POST', `/api/apps/${app.id}/deploy`);
    expect(deploy.status, JSON.stringify(deploy.body)).toBe(201);
    expect(deploy.body).toMatchObject({ entityId: app.id, workspaceId: t.workspaceId, sequenceNumber: 1, buildId: built.id, status: 'pending', trigger: 'manual', productionUrl: null, previewUrl: null, sourceEventId: null, error: null });
    const done = await finishedDeploy(app.id, deploy.body.id);
    expect(done).toEqual({
      id: deploy.body.id,
      workspaceId: t.workspaceId,
      entityId: app.id,
      sequenceNumber: 1,
      buildId: built.id,
      status: 'completed',
      trigger: 'manual',
      sourceEventId: null,
      productionUrl: `http://${app.handle}.localhost:${t.berth.edgePort}`,
      previewUrl: null,
      error: null,
      metadata: { revisionName: `${app.handle}-00001`, artifactDigest: built.artifactDigest, stage: 'done' },
      createdBy: expect.stringMatching(/^key_/),
      startedAt: iso,
      completedAt: iso,
      createdAt: iso,
    });
    expect((await t.request('GET', `/api/apps/${app.id}`)).body.status).toBe('live');
    // One core: the Dooor API sees the same deployment.
    expect((await t.request('GET', `/api/v1/workspaces/${t.workspaceId}/deploy/${deploy.body.id}`)).body).toMatchObject({ id: deploy.body.id, status: 'succeeded', triggerType: 'MANUAL' });
    expect(await page(app.handle)).toEqual({ status: 200, body: '<h1>first</h1>' });
    expect(await page(app.handle, '/about/')).toEqual({ status: 200, body: '<h1>about</h1>' });

    // A second build has the edit; deploying it by id makes deploy number 2.
    const second = await finishedBuild(app.id, (await t.request('POST', `/api/apps/${app.id}/builds`, { body: { appVersionId: v } })).body.id);
    expect(second.status).toBe('completed');
    expect(second.sourceDigest).not.toBe(built.sourceDigest);
    const again = await t.request('POST', `/api/apps/${app.id}/builds/${second.id}/deploy`);
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    expect(again.body).toMatchObject({ sequenceNumber: 2, buildId: second.id });
    expect((await finishedDeploy(app.id, again.body.id)).status).toBe('completed');
    expect((await page(app.handle)).body).toBe('<h1>second</h1>');

    const builds = (await t.request('GET', `/api/apps/${app.id}/builds`)).body.data;
    expect(builds.map((b: { id: string }) => b.id)).toEqual([second.id, built.id, slowBuild.id]);
    expect((await t.request('GET', `/api/apps/${app.id}/builds?limit=1`)).body.data).toHaveLength(1);
    const deploys = (await t.request('GET', `/api/apps/${app.id}/deploys`)).body.data;
    expect(deploys.map((d: { sequenceNumber: number; buildId: string }) => [d.sequenceNumber, d.buildId])).toEqual([
      [2, second.id],
      [1, built.id],
    ]);
    // The earlier deploy no longer serves, but it completed: it keeps its URL.
    expect(deploys[1].productionUrl).toBe(done.productionUrl);
  });

  it('gives build-time env to the build and not runtime env, from the next build on', { timeout: 180_000 }, async () => {
    const created = (await t.request('POST', '/api/apps', { body: { name: 'Env build', publicAccess: true } })).body;
    const v = created.defaultVersionId;
    await write(v, 'package.json', JSON.stringify({ name: 'env-build', private: true, scripts: { build: 'node build.js' } }));
    await write(
      v,
      'build.js',
      "const fs = require('fs');\nfs.mkdirSync('dist', { recursive: true });\n" +
        "fs.writeFileSync('dist/index.html', `greeting=${process.env.VITE_GREETING ?? 'unset'} runtime=${process.env.RUNTIME_ONLY ?? 'unset'}`);\n",
    );
    expect((await t.request('PUT', `/api/apps/${created.id}/env`, { body: { name: 'VITE_GREETING', value: 'hello-from-env' } })).status).toBe(200);
    await t.request('PATCH', `/api/apps/${created.id}`, { body: { config: { env: { RUNTIME_ONLY: 'runtime-secret' } } } });
    const build = await finishedBuild(created.id, (await t.request('POST', `/api/app-versions/${v}/builds`)).body.id);
    expect(build.error).toBeNull();
    expect(build.buildpack).toBe('static (node-npm)');
    const deploy = (await t.request('POST', `/api/apps/${created.id}/deploy`)).body;
    expect((await finishedDeploy(created.id, deploy.id)).status).toBe('completed');
    expect(await page(created.handle)).toEqual({ status: 200, body: 'greeting=hello-from-env runtime=unset' });

    // A change takes effect at the next build (not before); that build restores the dependencies the first one cached.
    await t.request('PUT', `/api/apps/${created.id}/env`, { body: { name: 'VITE_GREETING', value: 'changed' } });
    expect((await page(created.handle)).body).toBe('greeting=hello-from-env runtime=unset');
    const next = await finishedBuild(created.id, (await t.request('POST', `/api/apps/${created.id}/builds`)).body.id);
    expect(next.status).toBe('completed');
    expect((await t.request('GET', next.logUrl)).body.data.some((line: string) => line.startsWith('[cache] dependencies unchanged') && line.endsWith('install skipped'))).toBe(true);
    const redeploy = (await t.request('POST', `/api/apps/${created.id}/deploy`)).body;
    expect(redeploy).toMatchObject({ sequenceNumber: 2, buildId: next.id });
    expect((await finishedDeploy(created.id, redeploy.id)).status).toBe('completed');
    expect((await page(created.handle)).body).toBe('greeting=changed runtime=unset');
  });

  it('reports a failed build with its reason, and refuses to deploy it', { timeout: 60_000 }, async () => {
    const version = (await t.request('POST', `/api/apps/${app.id}/versions`, { body: {} })).body;
    await write(version.id, 'README.md', '# nothing to build');
    const failed = await finishedBuild(app.id, (await t.request('POST', `/api/app-versions/${version.id}/builds`)).body.id);
    expect(failed).toMatchObject({ status: 'failed', versionId: version.id, artifactDigest: null, completedAt: iso });
    expect(failed.error).toMatch(/^Build failed: Could not detect how to build this app/);
    expect((await t.request('GET', failed.logUrl)).body.data).toContain(`[build] ${failed.error}`);
    const before = (await t.request('GET', `/api/apps/${app.id}/deploys`)).body.data.length;
    expectError(await t.request('POST', `/api/apps/${app.id}/builds/${failed.id}/deploy`), 409, `Build ${failed.id} is failed: only a successful build can be deployed`);
    expect((await t.request('GET', `/api/apps/${app.id}/deploys`)).body.data).toHaveLength(before);
    expect((await t.request('GET', `/api/apps/${app.id}/builds?appVersionId=${version.id}`)).body.data.map((b: { id: string }) => b.id)).toEqual([failed.id]);
  });

  it('refuses a deploy with no successful build of the default version, storing nothing', async () => {
    const fresh = (await t.request('POST', '/api/apps', { body: { name: 'Never built' } })).body;
    expectError(await t.request('POST', `/api/apps/${fresh.id}/deploy`), 409, `No successful build of the default version ${fresh.defaultVersionId} yet: build it first, then deploy`);
    expect((await t.request('GET', `/api/apps/${fresh.id}/deploys`)).body).toEqual({ data: [] });
    expect((await t.request('GET', `/api/apps/${fresh.id}`)).body.status).toBe('draft');
  });

  it('refuses bad input with a 400 and unknown or foreign ids with a 404, storing nothing', async () => {
    const fresh = (await t.request('POST', '/api/apps', { body: { name: 'Bad input' } })).body;
    expectError(await t.request('POST', `/api/apps/${fresh.id}/builds`), 400, `App version ${fresh.defaultVersionId} has no files to build: write some first`);
    expectError(await t.request('POST', `/api/apps/${fresh.id}/builds`, { body: { appVersionId: app.defaultVersionId } }), 400, `appVersionId "${app.defaultVersionId}" is not a version of this app`);
    expectError(await t.request('POST', `/api/apps/${fresh.id}/builds`, { body: { appVersionId: 'appver_nope' } }), 400, 'appVersionId "appver_nope" is not a version of this app');
    expect((await t.request('POST', `/api/apps/${fresh.id}/builds`, { body: { versionId: 'x' } })).status).toBe(400);
    expect((await t.request('GET', `/api/apps/${fresh.id}/builds?limit=0`)).status).toBe(400);
    expectError(await t.request('GET', `/api/apps/${fresh.id}/builds?appVersionId=appver_nope`), 400, 'appVersionId "appver_nope" is not a version of this app');
    expect((await t.request('GET', `/api/apps/${fresh.id}/builds`)).body).toEqual({ data: [] });

    expectError(await t.request('GET', `/api/apps/${app.id}/builds/bld_nope`), 404, 'Build not found');
    expectError(await t.request('GET', `/api/apps/${app.id}/builds/bld_nope/log`), 404, 'Build not found');
    expectError(await t.request('POST', `/api/apps/${app.id}/builds/bld_nope/deploy`), 404, 'Build not found');
    expectError(await t.request('GET', `/api/apps/${app.id}/deploys/dep_nope`), 404, 'Deploy not found');
    expectError(await t.request('POST', '/api/app-versions/appver_nope/builds'), 404, 'App version not found');
    expectError(await t.request('POST', '/api/apps/app_nope/deploy'), 404, 'App not found');

    // A build of one app is not found through another.
    const [someBuild] = (await t.request('GET', `/api/apps/${app.id}/builds`)).body.data;
    expectError(await t.request('GET', `/api/apps/${fresh.id}/builds/${someBuild.id}`), 404, 'Build not found');
    expectError(await t.request('POST', `/api/apps/${fresh.id}/builds/${someBuild.id}/deploy`), 404, 'Build not found');
    expect((await t.request('GET', `/api/apps/${fresh.id}/deploys`)).body).toEqual({ data: [] });

    // Another workspace's key sees none of it.
    const other = await anotherWorkspace(t);
    const as = { key: other.key };
    expectError(await t.request('GET', `/api/apps/${app.id}/builds`, as), 404, 'App not found');
    expectError(await t.request('GET', `/api/apps/${app.id}/builds/${someBuild.id}`, as), 404, 'App not found');
    expectError(await t.request('POST', `/api/apps/${app.id}/builds`, as), 404, 'App not found');
    expectError(await t.request('POST', `/api/app-versions/${app.defaultVersionId}/builds`, as), 404, 'App version not found');
    expectError(await t.request('POST', `/api/apps/${app.id}/builds/${someBuild.id}/deploy`, as), 404, 'App not found');
    expectError(await t.request('POST', `/api/apps/${app.id}/deploy`, as), 404, 'App not found');
    expectError(await t.request('GET', `/api/apps/${app.id}/deploys`, as), 404, 'App not found');
  });
});

describe.each(backends)('REST builds kept and removed on %s', (backend) => {
  let t: TestBerth;
  const write = (versionId: string, path: string, content: string, method = 'POST') => t.request(method, `/api/app-versions/${versionId}/files`, { body: { path, content } });
  const finished = async (url: string) => {
    const end = Date.now() + 60_000;
    for (;;) {
      const res = await t.request('GET', url);
      if (['completed', 'failed'].includes(res.body.status) || Date.now() > end) return res.body;
      await new Promise((r) => setTimeout(r, 150));
    }
  };

  beforeAll(async () => {
    // No grace: every rollout removes at once whatever retention does not keep.
    t = await startTestBerth(backend, { via: 'inject', env: { BERTH_ARTIFACT_GRACE_MS: '0' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('keeps the artifact of a build nobody deployed yet, drops snapshots once built, and purges builds with their app', { timeout: 120_000 }, async () => {
    const app = (await t.request('POST', '/api/apps', { body: { name: 'Kept builds', publicAccess: true } })).body;
    const v = app.defaultVersionId;
    await write(v, 'index.html', 'one');
    const first = await finished(`/api/apps/${app.id}/builds/${(await t.request('POST', `/api/apps/${app.id}/builds`)).body.id}`);
    await write(v, 'index.html', 'two', 'PATCH');
    const second = await finished(`/api/apps/${app.id}/builds/${(await t.request('POST', `/api/apps/${app.id}/builds`)).body.id}`);
    expect([first.status, second.status]).toEqual(['completed', 'completed']);
    expect(await t.berth.store.appBuilds.snapshot(first.id)).toEqual([]);

    // The rollout of the second build collects garbage; the first build's artifact stays deployable.
    const latest = (await t.request('POST', `/api/apps/${app.id}/deploy`)).body;
    expect(latest.buildId).toBe(second.id);
    expect((await finished(`/api/apps/${app.id}/deploys/${latest.id}`)).status).toBe('completed');
    const older = await t.request('POST', `/api/apps/${app.id}/builds/${first.id}/deploy`);
    expect(older.status, JSON.stringify(older.body)).toBe(201);
    expect((await finished(`/api/apps/${app.id}/deploys/${older.body.id}`)).status).toBe('completed');
    expect((await edgeGet(t.berth.edgePort, `${app.handle}.localhost`, '/')).body).toBe('one');

    expect((await t.request('DELETE', `/api/apps/${app.id}`)).body).toEqual({ success: true });
    expect((await t.request('DELETE', `/api/apps/${app.id}/purge`)).body).toEqual({ success: true });
    expect(await t.berth.store.appBuilds.byId(first.id)).toBeNull();
    expect(await t.berth.store.appBuildLogs.list(second.id, 10)).toEqual([]);
  });
});
