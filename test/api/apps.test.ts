// The Apps page (spec 000) over real HTTP: create with every field, defaults, ranges, slugs,
// git URLs, get, PATCH, soft and permanent delete. Listing, stats and pipeline-state: apps-list.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anotherWorkspace } from '../support/another-workspace.js';
import { anApp } from '../support/builders.js';
import { expectError } from '../support/expect-error.js';
import { backends, startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';

const everyField = {
  name: 'My API',
  slug: 'my-api',
  description: 'Serves the mobile app',
  type: 'api',
  gitRepoUrl: 'https://github.com/org/my-api',
  gitBranch: 'production',
  gitInstallationId: '4242',
  dockerfilePath: 'deploy/Dockerfile',
  autoDeploy: true,
  cpuLimitMillicores: 1500,
  memoryLimitMi: 2048,
  diskLimitMi: 512,
  port: 3000,
  releaseCommand: 'npx prisma migrate deploy',
  visibility: 'public',
  minReplicas: 2,
  maxReplicas: 5,
  cpuTargetUtilization: 65,
};

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(backends)('apps on %s', (backend) => {
  let t: TestBerth;
  const apps = () => `/api/v1/workspaces/${t.workspaceId}/apps`;
  const create = (body: unknown) => t.request('POST', apps(), { body });

  beforeAll(async () => {
    t = await startTestBerth(backend);
  });
  afterAll(async () => t?.close());

  it('creates an app with every documented field and echoes each back', async () => {
    const created = await create(everyField);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      ...everyField,
      id: expect.stringMatching(/^app_/),
      status: 'stopped',
      url: `http://my-api.localhost:${t.berth.edgePort}`,
      latestDeployment: null,
    });
    expect(created.body.createdAt).toBe(created.body.updatedAt);
    expect(Date.parse(created.body.createdAt)).toBeGreaterThan(Date.now() - 60_000);
    const fetched = await t.request('GET', `${apps()}/${created.body.id}`);
    expect(fetched.status).toBe(200);
    expect(fetched.body).toEqual(created.body);
  });

  it('fills in the documented defaults', async () => {
    const created = await create({ name: 'Plain', slug: 'plain' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Plain',
      slug: 'plain',
      type: 'web',
      gitBranch: 'main',
      visibility: 'private',
      status: 'stopped',
      autoDeploy: false,
      minReplicas: 1,
      description: null,
      gitRepoUrl: null,
      dockerfilePath: null,
      releaseCommand: null,
      diskLimitMi: 1024,
      port: null,
      url: `http://plain.localhost:${t.berth.edgePort}`,
      latestDeployment: null,
    });
    expect(created.body.maxReplicas).toBeGreaterThanOrEqual(1);
  });

  it.each([
    [{ cpuLimitMillicores: 49 }, 'cpuLimitMillicores must be >= 50'],
    [{ cpuLimitMillicores: 32001 }, 'cpuLimitMillicores must be <= 32000'],
    [{ cpuLimitMillicores: 500.5 }, 'cpuLimitMillicores must be an integer'],
    [{ memoryLimitMi: 63 }, 'memoryLimitMi must be >= 64'],
    [{ memoryLimitMi: 131073 }, 'memoryLimitMi must be <= 131072'],
    [{ diskLimitMi: 15 }, 'diskLimitMi must be >= 16'],
    [{ diskLimitMi: 1048577 }, 'diskLimitMi must be <= 1048576'],
    [{ port: 0 }, 'port must be >= 1'],
    [{ port: 65536 }, 'port must be <= 65535'],
    [{ port: 'http' }, 'port must be of type integer or null'],
    [{ cpuTargetUtilization: 0 }, 'cpuTargetUtilization must be >= 1'],
    [{ cpuTargetUtilization: 101 }, 'cpuTargetUtilization must be <= 100'],
    [{ minReplicas: 0 }, 'minReplicas must be >= 1'],
    [{ slug: 'My_App' }, 'slug must contain only lowercase letters, digits and hyphens, and start and end with a letter or digit'],
    [{ slug: '-leading' }, 'slug must contain only lowercase letters, digits and hyphens, and start and end with a letter or digit'],
    [{ slug: 'trailing-' }, 'slug must contain only lowercase letters, digits and hyphens, and start and end with a letter or digit'],
    [{ slug: 'a/b' }, 'slug must contain only lowercase letters, digits and hyphens, and start and end with a letter or digit'],
    [{ slug: 'x'.repeat(64) }, 'slug must NOT have more than 63 characters'],
    [{ type: 'lambda' }, 'type must be one of: web, api, worker, cron'],
    [{ visibility: 'secret' }, 'visibility must be one of: public, private'],
    [{ autoDeploy: 'yes' }, 'autoDeploy must be of type boolean'],
  ])('refuses %j with 400: %s', async (fields, message) => {
    expectError(await create(anApp(fields)), 400, [message]);
  });

  it('refuses maxReplicas below minReplicas', async () => {
    expectError(
      await create(anApp({ minReplicas: 3, maxReplicas: 2 })),
      400,
      'maxReplicas must be greater than or equal to minReplicas',
    );
  });

  it('accepts the ends of every range', async () => {
    for (const fields of [
      { cpuLimitMillicores: 50, memoryLimitMi: 64, cpuTargetUtilization: 1, minReplicas: 1, maxReplicas: 1 },
      { cpuLimitMillicores: 32000, memoryLimitMi: 131072, cpuTargetUtilization: 100, minReplicas: 3, maxReplicas: 3 },
    ]) {
      const created = await create(anApp(fields));
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body).toMatchObject(fields);
    }
  });

  it('lists every field problem at once', async () => {
    const bad = {
      name: '',
      slug: 'Bad Slug',
      type: 'x',
      cpuLimitMillicores: 10,
      memoryLimitMi: 1e9,
      cpuTargetUtilization: 0,
      visibility: 1,
    };
    expectError(await create(bad), 400, [
      'name must NOT have fewer than 1 characters',
      'slug must contain only lowercase letters, digits and hyphens, and start and end with a letter or digit',
      'type must be one of: web, api, worker, cron',
      'visibility must be one of: public, private',
      'cpuLimitMillicores must be >= 50',
      'memoryLimitMi must be <= 131072',
      'cpuTargetUtilization must be >= 1',
    ]);
    expectError(await create({}), 400, ['name is required', 'slug is required']);
  });

  it('answers 409 on a slug clash, in create and in PATCH', async () => {
    expect((await create(anApp({ slug: 'taken' }))).status).toBe(201);
    expectError(
      await create(anApp({ slug: 'taken' })),
      409,
      'An app with slug "taken" already exists in this workspace',
    );
    const other = (await create(anApp())).body;
    expectError(await t.request('PATCH', `${apps()}/${other.id}`, { body: { slug: 'taken' } }), 409);
    expect((await t.request('GET', `${apps()}/${other.id}`)).body.slug).toBe(other.slug);
  });

  it('frees a slug on soft delete, and a slug is only unique within its workspace', async () => {
    const first = (await create(anApp({ slug: 'reused' }))).body;
    expect((await t.request('DELETE', `${apps()}/reused`)).status).toBe(204);
    const second = await create(anApp({ slug: 'reused' }));
    expect(second.status).toBe(201);
    expect(second.body.id).not.toBe(first.id);

    const other = await anotherWorkspace(t);
    const elsewhere = await t.request('POST', `/api/v1/workspaces/${other.workspaceId}/apps`, {
      key: other.key,
      body: anApp({ slug: 'reused' }),
    });
    expect(elsewhere.status).toBe(201);
  });

  it('normalises a scheme-less git URL to https and refuses anything but https', async () => {
    const created = await create(anApp({ gitRepoUrl: 'github.com/org/repo' }));
    expect(created.status).toBe(201);
    expect(created.body.gitRepoUrl).toBe('https://github.com/org/repo');
    expect((await t.request('GET', `${apps()}/${created.body.slug}`)).body.gitRepoUrl).toBe(
      'https://github.com/org/repo',
    );
    expectError(await create(anApp({ gitRepoUrl: 'http://github.com/org/repo' })), 400, 'gitRepoUrl must use https://');
    expectError(
      await create(anApp({ gitRepoUrl: 'ssh://git@github.com/org/repo' })),
      400,
      'gitRepoUrl must use https://',
    );
    const patched = await t.request('PATCH', `${apps()}/${created.body.id}`, {
      body: { gitRepoUrl: 'gitlab.com/team/svc' },
    });
    expect(patched.body.gitRepoUrl).toBe('https://gitlab.com/team/svc');
  });

  it('gets an app by id and by slug, and 404s an unknown one', async () => {
    const created = (await create(anApp({ slug: 'by-slug' }))).body;
    const byId = await t.request('GET', `${apps()}/${created.id}`);
    const bySlug = await t.request('GET', `${apps()}/by-slug`);
    expect(byId.status).toBe(200);
    expect(bySlug.body).toEqual(byId.body);
    expect(byId.body).toMatchObject({
      id: created.id,
      latestDeployment: null,
      url: `http://by-slug.localhost:${t.berth.edgePort}`,
    });
    expectError(await t.request('GET', `${apps()}/app_nope`), 404, 'App not found');
  });

  it('PATCH changes only the given fields and moves updatedAt', async () => {
    const before = (await create({ ...everyField, slug: 'patched' })).body;
    await pause(15);
    const changes = { gitBranch: 'release', autoDeploy: false, cpuLimitMillicores: 1000, memoryLimitMi: 1024 };
    const patched = await t.request('PATCH', `${apps()}/patched`, { body: changes });
    expect(patched.status).toBe(200);
    const { updatedAt, latestDeployment: _ld, nextRunAt: _nr, ...rest } = before;
    const { updatedAt: after, ...patchedRest } = patched.body;
    expect(patchedRest).toEqual({ ...rest, ...changes });
    expect(Date.parse(after)).toBeGreaterThan(Date.parse(updatedAt));
    expect((await t.request('GET', `${apps()}/${before.id}`)).body).toMatchObject({
      ...changes,
      name: before.name,
      visibility: 'public',
    });

    const nothing = await t.request('PATCH', `${apps()}/patched`, { body: {} });
    expect(nothing.status).toBe(200);
    expect(nothing.body).toMatchObject(changes);
    const noBody = await t.request('PATCH', `${apps()}/patched`);
    expect(noBody.status).toBe(200);
  });

  it('PATCH validates like create and changes nothing on a 400', async () => {
    const before = (await create(anApp({ minReplicas: 2, maxReplicas: 4 }))).body;
    expectError(
      await t.request('PATCH', `${apps()}/${before.id}`, { body: { cpuLimitMillicores: 10, memoryLimitMi: 10 } }),
      400,
      ['cpuLimitMillicores must be >= 50', 'memoryLimitMi must be >= 64'],
    );
    expectError(
      await t.request('PATCH', `${apps()}/${before.id}`, { body: { maxReplicas: 1 } }),
      400,
      'maxReplicas must be greater than or equal to minReplicas',
    );
    expectError(
      await t.request('PATCH', `${apps()}/${before.id}`, { body: { gitRepoUrl: 'http://example.com/a/b' } }),
      400,
      'gitRepoUrl must use https://',
    );
    expectError(await t.request('PATCH', `${apps()}/app_nope`, { body: { name: 'x' } }), 404, 'App not found');
    const after = (await t.request('GET', `${apps()}/${before.id}`)).body;
    expect(after).toEqual({ ...before, latestDeployment: null });
  });

  it('soft delete: 204, gone from list and get, data kept', async () => {
    const app = (await create(anApp())).body;
    await t.request('POST', `${apps()}/${app.id}/env-vars`, { body: { key: 'KEPT', value: '1' } });
    const deleted = await t.request('DELETE', `${apps()}/${app.id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBeNull();
    expectError(await t.request('GET', `${apps()}/${app.id}`), 404, 'App not found');
    expectError(await t.request('GET', `${apps()}/${app.slug}`), 404, 'App not found');
    const listed = await t.request('GET', `${apps()}?limit=100`);
    expect(listed.body.data.map((a: { id: string }) => a.id)).not.toContain(app.id);
    expectError(await t.request('DELETE', `${apps()}/${app.id}`), 404, 'App not found');
    expect(await t.berth.store.apps.findForPurge(t.workspaceId, app.id)).toMatchObject({
      id: app.id,
      deletedAt: expect.any(Date),
    });
    expect((await t.berth.store.envVars.list(app.id)).map((v) => v.key)).toEqual(['KEPT']);
  });

  it('permanent delete removes the app with its shares, domains and env vars; the hostname is free again', async () => {
    const app = (await create(anApp())).body;
    const base = `${apps()}/${app.id}`;
    expect((await t.request('POST', `${base}/public-shares`, { body: {} })).status).toBe(201);
    expect((await t.request('POST', `${base}/domains`, { body: { domain: 'purged.example.com' } })).status).toBe(201);
    expect(
      (await t.request('POST', `${base}/env-vars`, { body: { key: 'GONE', value: 'x', isSecret: true } })).status,
    ).toBe(201);

    const purged = await t.request('DELETE', `${base}/permanent`);
    expect(purged.status).toBe(204);
    expect(purged.body).toBeNull();
    expectError(await t.request('GET', base), 404, 'App not found');
    expectError(await t.request('DELETE', `${base}/permanent`), 404, 'App not found');
    expect(await t.berth.store.apps.findForPurge(t.workspaceId, app.id)).toBeNull();
    expect(await t.berth.store.envVars.list(app.id)).toEqual([]);
    expect(await t.berth.store.domains.list(app.id)).toEqual([]);
    expect(await t.berth.store.shares.listActive(app.id, new Date())).toEqual([]);

    const next = (await create(anApp())).body;
    const reused = await t.request('POST', `${apps()}/${next.id}/domains`, { body: { domain: 'purged.example.com' } });
    expect(reused.status).toBe(201);
  });

  it('permanent delete also purges a soft-deleted app, by id only', async () => {
    const app = (await create(anApp())).body;
    expect((await t.request('DELETE', `${apps()}/${app.id}`)).status).toBe(204);
    expectError(await t.request('DELETE', `${apps()}/${app.slug}/permanent`), 404, 'App not found');
    expect((await t.request('DELETE', `${apps()}/${app.id}/permanent`)).status).toBe(204);
    expect(await t.berth.store.apps.findForPurge(t.workspaceId, app.id)).toBeNull();
  });
});
