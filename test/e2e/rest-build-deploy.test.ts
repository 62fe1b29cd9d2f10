// The REST dialect (spec 003) end to end: a real Berth on port 0 spoken to over a real socket.
// An app is created, a Vite + React project is written into its version through the files API,
// a build-time variable is set, the version is built (installed with npm ci, built by Vite in the
// sandbox), the build is deployed, and the page and its bundle are fetched through the edge, with
// the variable baked into the bundle; the app says `live`.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturesDir } from '../build/support.js';
import { edgeGet } from '../support/edge-get.js';
import { startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';
import { until } from './support/edge-client.js';

const project = path.join(fixturesDir, 'vite-react');

function projectFiles(dir: string, base = ''): string[] {
  return fs.readdirSync(path.join(dir, base), { withFileTypes: true }).flatMap((entry) => {
    const relative = base === '' ? entry.name : `${base}/${entry.name}`;
    return entry.isDirectory() ? projectFiles(dir, relative) : [relative];
  });
}

describe('the REST API end to end: build and deploy an app version', () => {
  let t: TestBerth;

  beforeAll(async () => {
    t = await startTestBerth('sqlite', { env: { BERTH_READY_TIMEOUT_MS: '30000' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('writes a Vite + React project through the files API, builds it, deploys it and serves it live', async () => {
    const app = (await t.request('POST', '/api/apps', { body: { name: 'Vite React', handle: 'vite-react', publicAccess: true } })).body;
    expect(app).toMatchObject({ handle: 'vite-react', status: 'draft', defaultVersionId: expect.stringMatching(/^appver_/) });
    for (const file of projectFiles(project)) {
      const written = await t.request('POST', `/api/app-versions/${app.defaultVersionId}/files`, { body: { path: file, content: fs.readFileSync(path.join(project, file), 'utf8') } });
      expect(written.status, `${file}: ${JSON.stringify(written.body)}`).toBe(201);
    }
    expect((await t.request('PUT', `/api/apps/${app.id}/env`, { body: { name: 'VITE_GREETING', value: 'hello-from-build-env' } })).body).toEqual({ success: true });

    const build = (await t.request('POST', `/api/apps/${app.id}/builds`)).body;
    expect(build).toMatchObject({ status: 'pending', versionId: app.defaultVersionId, fileCount: projectFiles(project).length });
    const built = await until(async () => (await t.request('GET', `/api/apps/${app.id}/builds/${build.id}`)).body, (b) => b.status === 'completed' || b.status === 'failed', 240_000, 300);
    const log: string[] = (await t.request('GET', built.logUrl)).body.data;
    expect(built.error, log.join('\n')).toBeNull();
    expect(built).toMatchObject({ status: 'completed', buildpack: 'static (node-npm)', artifactDigest: expect.stringMatching(/^sha256:/) });
    expect(log).toContain('[build] serving the static files of dist/');

    const deploy = await t.request('POST', `/api/apps/${app.id}/deploy`);
    expect(deploy.status, JSON.stringify(deploy.body)).toBe(201);
    expect(deploy.body).toMatchObject({ sequenceNumber: 1, buildId: build.id, trigger: 'manual' });
    const done = await until(async () => (await t.request('GET', `/api/apps/${app.id}/deploys/${deploy.body.id}`)).body, (d) => d.status === 'completed' || d.status === 'failed', 60_000, 200);
    expect(done).toMatchObject({ status: 'completed', error: null, productionUrl: `http://vite-react.localhost:${t.berth.edgePort}` });
    expect((await t.request('GET', `/api/apps/${app.id}`)).body.status).toBe('live');

    const home = await edgeGet(t.berth.edgePort, 'vite-react.localhost', '/');
    expect(home.status).toBe(200);
    expect(home.body).toContain('<title>Berth Vite React fixture</title>');
    const script = /src="(\/assets\/index-[\w-]+\.js)"/.exec(home.body)?.[1];
    expect(script, home.body).toBeDefined();
    const bundle = await edgeGet(t.berth.edgePort, 'vite-react.localhost', script);
    expect(bundle.status).toBe(200);
    expect(bundle.body).toContain('Berth Vite React fixture says');
    expect(bundle.body).toContain('hello-from-build-env');
  }, 300_000);
});
