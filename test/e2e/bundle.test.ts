// `npm start` runs the esbuild bundle, not the sources: what the bundle loads from beside itself
// (the tree-walking worker of every build, the static sites' server) must be there. Builds the
// bundle as `npm start` does, starts it, deploys a Procfile app and a static site through its API
// (uploads), and stops it with SIGTERM.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { apiClient, uploadSource } from './support/api-client.js';
import { killScope } from './support/berth-process.js';
import { edgeRequest, until } from './support/edge-client.js';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');

describe('the bundle `npm start` runs', () => {
  const scope = killScope('bundle');
  afterAll(() => scope.cleanup());

  it('builds and serves an app and a static site, then stops cleanly', { timeout: 180_000 }, async () => {
    execFileSync('npm', ['run', 'build'], { cwd: repoRoot, stdio: 'ignore' });
    const env = await scope.processEnv();
    const berth = await scope.start(env, 'bundle');
    const api = apiClient(berth.apiUrl, fs.readFileSync(path.join(scope.dataDir, 'admin-key'), 'utf8').trim());
    const wsId = (await api.call('GET', '/api-keys/whoami')).body.workspaceId as string;
    const edgePort = Number(env.BERTH_EDGE_PORT);

    const served = async (slug: string, files: Record<string, string>) => {
      const app = await api.call('POST', `/workspaces/${wsId}/apps`, { name: slug, slug, visibility: 'public' });
      expect(app.status).toBe(201);
      const appId = app.body.id as string;
      const uploadId = await uploadSource(api, wsId, appId, files);
      const deployment = await api.call('POST', `/workspaces/${wsId}/deploy`, { appId, source: { type: 'UPLOAD', uploadId } });
      const done = await until(
        async () => (await api.call('GET', `/workspaces/${wsId}/deploy/${deployment.body.id as string}`)).body,
        (d) => ['succeeded', 'failed'].includes(d.status as string),
        120_000,
      );
      expect(done, berth.output()).toMatchObject({ status: 'succeeded', imageRef: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
      return (await edgeRequest(edgePort, `${slug}.localhost`)).body;
    };

    expect(await served('bundled', { Procfile: 'web: node server.js\n', 'server.js': "require('node:http').createServer((q, s) => s.end('from the bundle')).listen(Number(process.env.PORT));\n" })).toBe('from the bundle');
    expect(await served('bundled-site', { 'index.html': '<h1>a static site</h1>\n' })).toContain('<h1>a static site</h1>');

    berth.child.kill('SIGTERM');
    expect(await berth.exited).toBe(0);
  });
});
