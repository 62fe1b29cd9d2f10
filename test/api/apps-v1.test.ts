// The Apps API (spec 002) in process, on SQLite and PostgreSQL: apps created and deployed in one
// call from each source kind and from templates, slugs from names, PATCH (scale, env merge with
// deletes), delete, and every kind of bad input answered 400 in this dialect's own error shape
// with nothing stored.
import { noContainerEngine } from '../../src/core/deploys/deploy-image.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reservedSlugs } from '../../src/domain/app.js';
import { expectV1Error, storedState } from '../support/apps-v1.js';
import { startGitServer } from '../support/git-http-server.js';
import type { GitServer } from '../support/git-http-server.js';
import { backends, startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';

const noEngine = noContainerEngine;

describe.each(backends)('the Apps API on %s', (backend) => {
  let t: TestBerth;
  let git: GitServer;
  const create = (body: unknown) => t.request('POST', '/api/v1/apps', { body });
  const get = (idOrSlug: string) => t.request('GET', `/api/v1/apps/${idOrSlug}`);
  const patch = (idOrSlug: string, body: unknown) => t.request('PATCH', `/api/v1/apps/${idOrSlug}`, { body });

  beforeAll(async () => {
    git = await startGitServer();
    t = await startTestBerth(backend, { via: 'inject', env: { BERTH_ALLOW_PRIVATE_NETWORKS: '1' } });
  });
  afterAll(async () => {
    await t?.close();
    await git?.close();
  });

  describe('create and deploy in one call', () => {
    it('from an image: every field stored and echoed; the deployment fails with the container driver’s message', async () => {
      const res = await create({ name: 'Image API', source_type: 'image', image_url: 'myregistry.example.com/api:v2.1', port: 3000, replicas: 3, env: { NODE_ENV: 'production', DATABASE_URL: 'postgresql://db/x' } });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body).toMatchObject({
        id: expect.stringMatching(/^app_/),
        project_id: t.workspaceId,
        name: 'Image API',
        slug: 'image-api',
        source_type: 'image',
        image_url: 'myregistry.example.com/api:v2.1',
        repo_url: null,
        replicas: 3,
        port: 3000,
        status: 'stopped',
        last_deploy_at: null,
        env: { NODE_ENV: 'production', DATABASE_URL: 'postgresql://db/x' },
        deployment: { status: 'failed', image: 'myregistry.example.com/api:v2.1', error: noEngine, trigger: 'manual' },
      });
      expect(Date.parse(res.body.created_at)).not.toBeNaN();
      const app = await t.berth.store.apps.byId(res.body.id);
      expect(app).toMatchObject({ sourceType: 'IMAGE', imageRef: 'myregistry.example.com/api:v2.1', port: 3000, replicas: 3, visibility: 'public' });
      const events = (await t.request('GET', `/api/v1/apps/${res.body.id}/events`)).body;
      expect(events).toContainEqual(expect.objectContaining({ type: 'Warning', reason: 'Failed', message: `Failed to pull myregistry.example.com/api:v2.1: ${noEngine}` }));
    });

    it('from git: the repository URL normalised, the branch and build command kept, the build queued', async () => {
      const repo = git.createRepo('site', { 'index.html': '<h1>hello</h1>' });
      const res = await create({ name: 'Git Site', source_type: 'git', repo_url: repo.url, repo_branch: 'main', build_command: 'echo building', port: null });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body).toMatchObject({ source_type: 'git', repo_url: repo.url, repo_branch: 'main', build_command: 'echo building', replicas: 1, port: null, deployment: { status: 'queued', trigger: 'manual' } });
      expect(['deploying', 'running']).toContain(res.body.status);
      expect((await t.berth.store.apps.byId(res.body.id))?.buildCommand).toBe('echo building');
      const deployments = (await t.request('GET', `/api/v1/apps/${res.body.id}/deployments`)).body;
      expect(deployments).toHaveLength(1);
    });

    it('from uploads: the app waits for a tarball, with no deployment', async () => {
      const res = await create({ name: 'Upload App', source_type: 'upload' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ source_type: 'upload', deployment: null, latest_deployment: null, status: 'stopped' });
      const deploy = await t.request('POST', `/api/v1/apps/${res.body.slug}/deploy`);
      expectV1Error(deploy, 400, 'invalid_request', [
        { field: 'tarball', message: 'tarball is required for an upload source: this app has no completed upload yet, or set repo_url to deploy from git' },
      ]);
    });

    it('derives the slug from the name, numbers it when taken, refuses reserved names', async () => {
      const first = await create({ name: 'Ça va, Mr. Büro! 2', source_type: 'upload' });
      expect(first.body.slug).toBe('ca-va-mr-buro-2');
      const again = await create({ name: 'Ça va, Mr. Büro! 2', source_type: 'upload' });
      const third = await create({ name: 'ca va mr buro 2', source_type: 'upload' });
      expect([again.body.slug, third.body.slug]).toEqual(['ca-va-mr-buro-2-2', 'ca-va-mr-buro-2-3']);
      expect((await get('ca-va-mr-buro-2-3')).body.id).toBe(third.body.id);
      for (const slug of reservedSlugs) {
        const before = await storedState(t);
        expectV1Error(await create({ name: slug.toUpperCase(), source_type: 'upload' }), 400, 'invalid_request', [
          { field: 'name', message: `name "${slug.toUpperCase()}" gives the slug "${slug}", which is reserved by Berth (it names a fixed route or host): choose another name` },
        ]);
        expect(await storedState(t)).toEqual(before);
      }
    });

    it('lists every app of the key’s workspace as a bare array, gets one by id or slug', async () => {
      const list = await t.request('GET', '/api/v1/apps');
      expect(list.status).toBe(200);
      expect(Array.isArray(list.body)).toBe(true);
      const keys = ['id', 'project_id', 'name', 'slug', 'source_type', 'image_url', 'replicas', 'port', 'status', 'last_deploy_at', 'created_at'];
      for (const app of list.body) {
        for (const key of keys) expect(app).toHaveProperty(key);
        expect(app.project_id).toBe(t.workspaceId);
      }
      const one = list.body.find((a: { slug: string }) => a.slug === 'image-api');
      expect((await get(one.id)).body).toMatchObject({ id: one.id, slug: 'image-api', latest_deployment: { status: 'failed' } });
      expect((await get('image-api')).body.id).toBe(one.id);
    });
  });

  describe('templates', () => {
    it('lists the catalog with its fields: a static site, a Node.js and a Python web app, an image-based service', async () => {
      const res = await t.request('GET', '/api/v1/templates');
      expect(res.status).toBe(200);
      const byId = new Map(res.body.map((tpl: { id: string }) => [tpl.id, tpl]));
      expect(byId.get('static-site')).toMatchObject({ source_type: 'upload' });
      expect(byId.get('node-web')).toMatchObject({ source_type: 'git', env: { NODE_ENV: 'production' } });
      expect(byId.get('python-web')).toMatchObject({ source_type: 'git' });
      expect(byId.get('nginx')).toMatchObject({ source_type: 'image', image_url: 'nginx:1.27-alpine', port: 80, resources: { cpu_millicores: 250, memory_mib: 256 } });
      for (const tpl of res.body) expect(Object.keys(tpl).sort()).toEqual(['build_command', 'description', 'env', 'id', 'image_url', 'name', 'port', 'replicas', 'repo_branch', 'repo_url', 'resources', 'source_type']);
    });

    it('fills source, port, env and resources; the request’s own fields win', async () => {
      const plain = await create({ name: 'From Nginx', template: 'nginx' });
      expect(plain.body).toMatchObject({ source_type: 'image', image_url: 'nginx:1.27-alpine', port: 80, deployment: { status: 'failed' } });
      expect(await t.berth.store.apps.byId(plain.body.id)).toMatchObject({ cpuLimitMillicores: 250, memoryLimitMi: 256 });
      const repo = git.createRepo('node-starter', { 'index.html': 'hi' });
      const own = await create({ name: 'Own Node', template: 'node-web', repo_url: repo.url, port: 8080, env: { NODE_ENV: 'staging', EXTRA: '1' } });
      expect(own.status, JSON.stringify(own.body)).toBe(201);
      expect(own.body).toMatchObject({ source_type: 'git', repo_url: repo.url, port: 8080, env: { NODE_ENV: 'staging', EXTRA: '1' } });
      expect(await t.berth.store.apps.byId(own.body.id)).toMatchObject({ cpuLimitMillicores: 500, memoryLimitMi: 512 });
      const site = await create({ name: 'Site From Template', template: 'static-site' });
      expect(site.body).toMatchObject({ source_type: 'upload', deployment: null });
    });
  });

  describe('bad input: 400 in this dialect’s shape, nothing stored', () => {
    const cases: [string, unknown, { field: string | null; message: string }[]][] = [
      ['a wrong source_type', { name: 'x', source_type: 'ftp' }, [{ field: 'source_type', message: 'source_type must be one of: git, upload, image' }]],
      ['no image_url for an image', { name: 'x', source_type: 'image' }, [{ field: 'image_url', message: 'image_url is required for an image source' }]],
      ['a bad image reference', { name: 'x', source_type: 'image', image_url: 'Not An Image!' }, [{ field: 'image_url', message: 'image_url must be an image reference such as registry.example.com/org/app:1.2' }]],
      ['no repo_url for git', { name: 'x', source_type: 'git' }, [{ field: 'repo_url', message: 'repo_url is required for a git source' }]],
      ['a repo_url that is not https', { name: 'x', source_type: 'git', repo_url: 'ftp://example.com/r' }, [{ field: 'repo_url', message: 'repo_url must use https://' }]],
      ['an unknown template', { name: 'x', template: 'wordpress' }, [{ field: 'template', message: 'template "wordpress" does not exist; the catalog has: static-site, node-web, python-web, nginx, redis' }]],
      ['no source at all', { name: 'x' }, [{ field: 'source_type', message: 'source_type is required (or a template that names one)' }]],
      ['too many replicas', { name: 'x', source_type: 'upload', replicas: 11 }, [{ field: 'replicas', message: 'replicas must be <= 10' }]],
      ['a port out of range', { name: 'x', source_type: 'upload', port: 70000 }, [{ field: 'port', message: 'port must be <= 65535' }]],
      ['an env key that is not a name', { name: 'x', source_type: 'upload', env: { 'BAD-KEY': '1' } }, [{ field: 'env', message: 'env: key "BAD-KEY" must start with a letter or underscore and contain only letters, digits and underscores' }]],
      ['an env key Berth sets', { name: 'x', source_type: 'upload', env: { PORT: '1' } }, [{ field: 'env', message: 'env: key PORT is set by Berth and cannot be overridden' }]],
      ['an env value that is not text', { name: 'x', source_type: 'upload', env: { A: 1 } }, [{ field: 'env.A', message: 'env.A must be of type string' }]],
      ['a field the API does not have', { name: 'x', source_type: 'upload', visibility: 'private' }, [{ field: null, message: 'body must NOT have additional properties' }]],
      ['no name', { source_type: 'upload' }, [{ field: 'name', message: 'name is required' }]],
    ];
    it.each(cases)('%s', async (_what, body, details) => {
      const before = await storedState(t);
      expectV1Error(await create(body), 400, 'invalid_request', details);
      expect(await storedState(t)).toEqual(before);
    });

    it('malformed JSON, a missing key and a missing scope, in the same shape', async () => {
      expectV1Error(await t.request('POST', '/api/v1/apps', { body: '{"name":' }), 400, 'invalid_json', [{ field: null, message: 'Malformed JSON body' }]);
      expectV1Error(await t.request('GET', '/api/v1/apps', { key: null }), 401, 'unauthorized');
      const reader = await t.request('POST', `/api/v1/workspaces/${t.workspaceId}/api-keys`, { body: { name: 'reader', scopes: ['apps:read'] } });
      const before = await storedState(t);
      const refused = await t.request('POST', '/api/v1/apps', { key: reader.body.key, body: { name: 'nope', source_type: 'upload' } });
      expect(expectV1Error(refused, 403, 'forbidden').message).toBe('Missing required scope: apps:write');
      expect((await t.request('GET', '/api/v1/apps', { key: reader.body.key })).status).toBe(200);
      expect(await storedState(t)).toEqual(before);
    });

    it('unknown apps and unknown routes answer 404 in this shape; Dooor’s stay NestJS-shaped', async () => {
      expect(expectV1Error(await get('no-such-app'), 404, 'not_found').message).toBe('App not found');
      expect(expectV1Error(await t.request('GET', '/api/v1/apps/x/nothing-here'), 404, 'not_found').message).toBe('Cannot GET /api/v1/apps/x/nothing-here');
      expect((await t.request('GET', `/api/v1/workspaces/${t.workspaceId}/nothing-here`)).body).toEqual({ statusCode: 404, message: `Cannot GET /api/v1/workspaces/${t.workspaceId}/nothing-here`, error: 'Not Found' });
    });
  });

  describe('PATCH', () => {
    it('replicas scale; env merges, a null deletes a key; both answer the app', async () => {
      const app = (await create({ name: 'Patched', source_type: 'upload', env: { KEEP: 'k', DROP: 'd', CHANGE: 'old' } })).body;
      const res = await patch(app.slug, { replicas: 4, env: { DROP: null, CHANGE: 'new', ADDED: 'a' } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ replicas: 4, env: { KEEP: 'k', CHANGE: 'new', ADDED: 'a' }, deployment: null });
      expect(res.body.env).not.toHaveProperty('DROP');
      expect((await t.berth.store.apps.byId(app.id))?.replicas).toBe(4);
      const stored = Object.fromEntries((await t.berth.store.envVars.list(app.id)).map((v) => [v.key, v.value]));
      expect(stored).toEqual({ KEEP: 'k', CHANGE: 'new', ADDED: 'a' });
      const named = await patch(app.id, { name: 'Renamed', port: 9000, build_command: 'make site' });
      expect(named.body).toMatchObject({ name: 'Renamed', slug: 'patched', port: 9000, build_command: 'make site' });
      const cleared = await patch(app.id, { build_command: null, port: null });
      expect(cleared.body).toMatchObject({ build_command: null, port: null });
    });

    it('refuses bad values and changes nothing', async () => {
      const app = (await create({ name: 'Unpatched', source_type: 'upload', replicas: 2, env: { A: '1' } })).body;
      const before = await storedState(t);
      const beforeApp = await t.berth.store.apps.byId(app.id);
      expectV1Error(await patch(app.id, { replicas: 2, env: { B: '2', 'no good': 'x' } }), 400, 'invalid_request', [
        { field: 'env', message: 'env: key "no good" must start with a letter or underscore and contain only letters, digits and underscores' },
      ]);
      expectV1Error(await patch(app.id, { repo_url: 'ftp://example.com/r', replicas: 3 }), 400, 'invalid_request', [{ field: 'repo_url', message: 'repo_url must use https://' }]);
      expectV1Error(await patch(app.id, { source_type: 'git' }), 400, 'invalid_request');
      expect(await storedState(t)).toEqual(before);
      expect(await t.berth.store.apps.byId(app.id)).toEqual(beforeApp);
    });
  });

  it('DELETE removes the app for good; it is 404 everywhere after', async () => {
    const app = (await create({ name: 'Doomed', source_type: 'upload', env: { A: '1' } })).body;
    const res = await t.request('DELETE', `/api/v1/apps/${app.slug}`);
    expect(res.status).toBe(204);
    expect(res.body).toBeNull();
    expectV1Error(await get(app.id), 404, 'not_found');
    expectV1Error(await t.request('GET', `/api/v1/apps/${app.id}/deployments`), 404, 'not_found');
    expect(await t.berth.store.envVars.list(app.id)).toEqual([]);
    expect(await t.berth.store.apps.findForPurge(t.workspaceId, app.id)).toBeNull();
    // The name is free again.
    expect((await create({ name: 'Doomed', source_type: 'upload' })).body.slug).toBe('doomed');
  });
});
