// The Apps page's read side (spec 000) over real HTTP: list paging, filters and order,
// stats, and a pipeline-state that reports only what the store knows.
import { newDeployment } from '../../src/domain/deployment.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anotherWorkspace } from '../support/another-workspace.js';
import type { AnotherWorkspace } from '../support/another-workspace.js';
import { anApp } from '../support/builders.js';
import { expectError } from '../support/expect-error.js';
import { backends, startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';

describe.each(backends)('listing apps on %s', (backend) => {
  let t: TestBerth;
  // Each test gets its own workspace, so counts and pages see only the apps it made.
  let ws: AnotherWorkspace;
  const apps = () => `/api/v1/workspaces/${ws.workspaceId}/apps`;
  const create = (body: unknown) => t.request('POST', apps(), { key: ws.key, body });
  const get = (query: string) => t.request('GET', `${apps()}${query}`, { key: ws.key });

  beforeAll(async () => {
    t = await startTestBerth(backend);
  });
  afterAll(async () => t?.close());

  it('pages newest first with meta, limit 20 by default and at most 100', async () => {
    ws = await anotherWorkspace(t);
    const slugs: string[] = [];
    for (let i = 1; i <= 25; i++) {
      const created = await create(anApp({ slug: `app-${String(i).padStart(2, '0')}` }));
      slugs.push(created.body.slug);
    }
    const newestFirst = [...slugs].reverse();

    const first = await get('?limit=10');
    expect(first.status).toBe(200);
    expect(first.body.meta).toEqual({ total: 25, page: 1, limit: 10, totalPages: 3 });
    expect(first.body.data.map((a: { slug: string }) => a.slug)).toEqual(newestFirst.slice(0, 10));
    const third = await get('?limit=10&page=3');
    expect(third.body.meta).toEqual({ total: 25, page: 3, limit: 10, totalPages: 3 });
    expect(third.body.data.map((a: { slug: string }) => a.slug)).toEqual(newestFirst.slice(20));
    const beyond = await get('?limit=10&page=4');
    expect(beyond.body).toEqual({ data: [], meta: { total: 25, page: 4, limit: 10, totalPages: 3 } });

    const byDefault = await get('');
    expect(byDefault.body.meta).toEqual({ total: 25, page: 1, limit: 20, totalPages: 2 });
    expect(byDefault.body.data).toHaveLength(20);
    expect((await get('?limit=100')).body.data).toHaveLength(25);
    expectError(await get('?limit=101'), 400, ['limit must be <= 100']);
    expectError(await get('?limit=0'), 400, ['limit must be >= 1']);
    expectError(await get('?page=0'), 400, ['page must be >= 1']);
    expectError(await get('?page=two'), 400, ['page must be an integer']);
  });

  it('lists each app with the documented summary fields', async () => {
    ws = await anotherWorkspace(t);
    const created = (
      await create(anApp({ name: 'Shop', slug: 'shop', type: 'api', gitRepoUrl: 'github.com/org/shop' }))
    ).body;
    const listed = await get('');
    expect(listed.body.data).toEqual([
      {
        id: created.id,
        name: 'Shop',
        slug: 'shop',
        status: 'stopped',
        type: 'api',
        url: `http://shop.localhost:${t.berth.edgePort}`,
        gitRepoUrl: 'https://github.com/org/shop',
        gitBranch: 'main',
        createdAt: created.createdAt,
      },
    ]);
  });

  it('filters by type and status', async () => {
    ws = await anotherWorkspace(t);
    const web = (await create(anApp({ type: 'web' }))).body;
    const worker = (await create(anApp({ type: 'worker' }))).body;
    const api = (await create(anApp({ type: 'api' }))).body;
    // No deploy runs in this suite; the reconciler records statuses through this same repository.
    await t.berth.store.apps.setStatus(api.id, 'active', new Date());
    const ids = async (query: string) => (await get(query)).body.data.map((a: { id: string }) => a.id);
    expect(await ids('?type=worker')).toEqual([worker.id]);
    expect(await ids('?type=cron')).toEqual([]);
    expect(await ids('?status=active')).toEqual([api.id]);
    expect(await ids('?status=stopped')).toEqual([worker.id, web.id]);
    expect(await ids('?status=stopped&type=web')).toEqual([web.id]);
    expect((await get('?status=stopped')).body.meta.total).toBe(2);
    expectError(await get('?type=lambda'), 400, ['type must be one of: web, api, worker, cron']);
    expectError(await get('?status=running'), 400, [
      'status must be one of: active, deploying, failed, build_failed, disabled, stopped',
    ]);
  });

  it('searches names case-insensitively, with % and _ taken literally', async () => {
    ws = await anotherWorkspace(t);
    for (const name of ['Alpha API', 'alpha worker', 'Beta', '100% uptime', 'snake_case', 'snakeXcase'])
      await create(anApp({ name }));
    const names = async (search: string) =>
      (await get(`?search=${encodeURIComponent(search)}`)).body.data.map((a: { name: string }) => a.name).sort();
    expect(await names('ALPHA')).toEqual(['Alpha API', 'alpha worker']);
    expect(await names('pha w')).toEqual(['alpha worker']);
    expect(await names('%')).toEqual(['100% uptime']);
    expect(await names('snake_')).toEqual(['snake_case']);
    expect(await names('_')).toEqual(['snake_case']);
    expect(await names('gamma')).toEqual([]);
    expect((await get(`?search=alpha&limit=1`)).body.meta).toEqual({ total: 2, page: 1, limit: 1, totalPages: 2 });
  });

  it('stats counts live apps by status', async () => {
    ws = await anotherWorkspace(t);
    const stats = () => t.request('GET', `${apps()}/stats`, { key: ws.key });
    expect((await stats()).body).toEqual({
      total: 0,
      active: 0,
      deploying: 0,
      failed: 0,
      stopped: 0,
      buildFailed: 0,
      disabled: 0,
    });
    const made = [];
    for (let i = 0; i < 5; i++) made.push((await create(anApp())).body.id as string);
    await t.berth.store.apps.setStatus(made[0] ?? '', 'active', new Date());
    await t.berth.store.apps.setStatus(made[1] ?? '', 'failed', new Date());
    await t.berth.store.apps.setStatus(made[2] ?? '', 'build_failed', new Date());
    expect((await t.request('DELETE', `${apps()}/${made[3]}`, { key: ws.key })).status).toBe(204);
    const counted = await stats();
    expect(counted.status).toBe(200);
    expect(counted.body).toEqual({
      total: 4,
      active: 1,
      deploying: 0,
      failed: 1,
      stopped: 1,
      buildFailed: 1,
      disabled: 0,
    });
  });

  it('pipeline-state says no_data for what has not happened and invents no figures', async () => {
    ws = await anotherWorkspace(t);
    const app = (await create(anApp({ slug: 'piped', gitRepoUrl: 'github.com/org/piped' }))).body;
    const state = await t.request('GET', `${apps()}/piped/pipeline-state`, { key: ws.key });
    expect(state.status).toBe(200);
    expect(state.body).toEqual({
      source: {
        status: 'ok',
        type: 'GIT',
        gitRepo: 'github.com/org/piped',
        branch: 'main',
        lastCommitSha: null,
        lastCommitMessage: null,
      },
      build: { status: 'no_data', buildpack: null, imageTag: null, durationSeconds: null, message: expect.any(String) },
      deploy: { status: 'no_data', deployedAt: null, revisionName: null, message: expect.any(String) },
      harbor: { status: 'inactive', guardsEnabled: false, lastEvalAt: null },
      runtime: {
        status: 'stopped',
        readyReplicas: 0,
        totalReplicas: 0,
        desiredReplicas: 0,
        warmInstances: 0,
        stoppingInstances: 0,
        cpuUsageMillicores: null,
        memoryUsageMi: null,
        message: expect.any(String),
      },
      overallStatus: 'stopped',
    });
    expectError(await t.request('GET', `${apps()}/nope/pipeline-state`, { key: ws.key }), 404, 'App not found');

    // What a finished deploy records (the deploy pipeline writes this same row).
    const startedAt = new Date(Date.now() - 60_000);
    await t.berth.store.deployments.create(
      newDeployment({
        id: 'dep_pipeline_test',
        appId: app.id,
        workspaceId: ws.workspaceId,
        status: 'succeeded',
        stage: 'done',
        triggerType: 'MANUAL',
        gitBranch: 'main',
        gitCommitSha: 'a1b2c3d',
        gitCommitMessage: 'fix: handle null response',
        buildpack: 'node',
        imageRef: 'sha256:abc123',
        revisionName: 'piped-00001',
        builtAt: new Date(startedAt.getTime() + 47_000),
        startedAt,
        finishedAt: new Date(startedAt.getTime() + 50_000),
        createdAt: startedAt,
      }),
    );
    const known = (await t.request('GET', `${apps()}/piped/pipeline-state`, { key: ws.key })).body;
    expect(known.source).toMatchObject({ lastCommitSha: 'a1b2c3d', lastCommitMessage: 'fix: handle null response' });
    expect(known.build).toEqual({
      status: 'succeeded',
      buildpack: 'node',
      imageTag: 'sha256:abc123',
      durationSeconds: 47,
    });
    expect(known.deploy).toEqual({
      status: 'succeeded',
      deployedAt: new Date(startedAt.getTime() + 50_000).toISOString(),
      revisionName: 'piped-00001',
    });
    expect(known.runtime).toMatchObject({ totalReplicas: 0, cpuUsageMillicores: null, memoryUsageMi: null });
    const detail = await t.request('GET', `${apps()}/piped`, { key: ws.key });
    expect(detail.body.latestDeployment).toEqual({
      id: 'dep_pipeline_test',
      status: 'succeeded',
      gitCommitSha: 'a1b2c3d',
      gitCommitMessage: 'fix: handle null response',
      createdAt: startedAt.toISOString(),
    });
  });
});
