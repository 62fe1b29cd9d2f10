// Apps that ignore $PORT are served where they really listen, through a real Berth and its edge:
// a hard-coded 3000 (two replicas of it, each in its own namespace), an app listening only on
// localhost, the app's `port` (which becomes PORT), and an app that listens nowhere fails its
// deployment saying so, instead of after 60 s with no reason.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactDir } from '../support/app-fixtures.js';
import { startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';
import { edgeRequest } from './support/edge-client.js';

/** An app that answers which port it was reached on, listening on `listen` (a JS expression). */
function portApp(listen: string): string {
  const dir = artifactDir();
  fs.writeFileSync(
    path.join(dir, 'server.js'),
    `const server = require('http').createServer((req, res) => res.end(JSON.stringify({ port: req.socket.localPort, env: process.env.PORT, host: require('os').hostname() })));
server.listen(${listen});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`,
  );
  return dir;
}

describe('the port an app really listens on', () => {
  let t: TestBerth;
  let n = 0;
  const apps = () => `/api/v1/workspaces/${t.workspaceId}/apps`;
  const deployed = async (listen: string, fields: Record<string, unknown> = {}) => {
    n += 1;
    const slug = `ports-${n}`;
    const app = await t.request<{ id: string }>('POST', apps(), { body: { name: slug, slug, visibility: 'public', ...fields } });
    expect(app.status).toBe(201);
    const result = await t.berth.core.deployArtifact({ appId: app.body.id, artifactDir: portApp(listen), command: ['/usr/bin/node', 'server.js'], imageRef: `dir:${slug}`, triggerType: 'MANUAL' });
    return { slug, appId: app.body.id, result };
  };
  const served = async (slug: string) => JSON.parse((await edgeRequest(t.berth.edgePort, `${slug}.localhost`)).body) as { port: number; env: string; host: string };

  beforeAll(async () => {
    t = await startTestBerth('sqlite', { env: { BERTH_READY_TIMEOUT_MS: '4000' } });
  });
  afterAll(async () => t?.close());

  it('serves an app with a hard-coded port 3000, two replicas of it when each has a namespace', async () => {
    const namespaces = t.berth.runtime.isolation.networkNamespaces;
    const { slug, appId, result } = await deployed(namespaces ? '3000' : String(20_000 + Math.floor(Math.random() * 20_000)));
    expect(result.deployment.status).toBe('succeeded');
    expect((await served(slug)).env).not.toBe(String((await served(slug)).port));
    if (!namespaces) return; // on the shared network a second replica could not bind the same port
    expect((await served(slug)).port).toBe(3000);
    const scaled = await t.request('POST', `/api/v1/workspaces/${t.workspaceId}/deploy/scale`, { body: { appId, replicas: 2 } });
    expect(scaled.status).toBeLessThan(300);
    // Each replica has a hostname of its own (its instance id): both answer, both on 3000.
    const hosts = new Set<string>();
    for (let i = 0; i < 100 && hosts.size < 2; i++) {
      const answer = await served(slug);
      expect(answer.port).toBe(3000);
      hosts.add(answer.host);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(hosts.size).toBe(2);
  });

  it('serves an app that listens on localhost only', async () => {
    const { slug, result } = await deployed("Number(process.env.PORT), 'localhost'");
    expect(result.deployment.status).toBe('succeeded');
    expect((await edgeRequest(t.berth.edgePort, `${slug}.localhost`)).status).toBe(200);
  });

  it("gives the app's port as PORT inside its namespace", async () => {
    if (!t.berth.runtime.isolation.networkNamespaces) return; // on the shared network PORT is a free port
    const { slug, result } = await deployed('Number(process.env.PORT)', { port: 4321 });
    expect(result.deployment.status).toBe('succeeded');
    expect(await served(slug)).toMatchObject({ port: 4321, env: '4321' });
  });

  it("prefers a custom domain's targetPort among the ports an app listens on (when not on PORT)", async () => {
    const low = 20_000 + Math.floor(Math.random() * 10_000);
    const high = low + 1_000;
    n += 1;
    const slug = `ports-${n}`;
    const app = await t.request<{ id: string }>('POST', apps(), { body: { name: slug, slug, visibility: 'public' } });
    expect((await t.request('POST', `${apps()}/${app.body.id}/domains`, { body: { domain: `${slug}.example.com`, targetPort: high } })).status).toBe(201);
    const dir = portApp(String(low));
    fs.appendFileSync(path.join(dir, 'server.js'), `require('http').createServer(server.listeners('request')[0]).listen(${high});\n`);
    const result = await t.berth.core.deployArtifact({ appId: app.body.id, artifactDir: dir, command: ['/usr/bin/node', 'server.js'], imageRef: `dir:${slug}`, triggerType: 'MANUAL' });
    expect(result.deployment.status).toBe('succeeded');
    expect((await served(slug)).port).toBe(high);
  });

  it('fails the deployment saying the app listens on no port', async () => {
    const dir = artifactDir();
    fs.writeFileSync(path.join(dir, 'server.js'), 'setInterval(() => {}, 1000);\n');
    const app = await t.request<{ id: string }>('POST', apps(), { body: { name: 'silent', slug: 'silent', visibility: 'public' } });
    const result = await t.berth.core.deployArtifact({ appId: app.body.id, artifactDir: dir, command: ['/usr/bin/node', 'server.js'], imageRef: 'dir:silent', triggerType: 'MANUAL' });
    expect(result.deployment.status).toBe('failed');
    expect(result.deployment.error).toMatch(/listens on no TCP port/);
  });
});
