// IMAGE deploys on the docker driver (issue 11), end to end on a dockerd and a registry this file
// starts and stops: an image pushed to the registry is deployed by tag and served through the
// edge on the port it EXPOSEs; after the tag moves a redeploy serves the new bytes, and a rollback
// runs the old digest again; a redeploy of an unmoved tag rolls nothing out. A multi-stage
// Dockerfile app is built by the engine, pushed to BERTH_REGISTRY and pinned; its rebuild reuses
// the layer cache; a project whose only plan is its Dockerfile is built the same way without
// dockerfilePath. A kill -9 of Berth leaves its containers running, and the next
// start adopts them: the same container serves again, none is started in its place. Berth on the
// docker driver starts no process runtime, and BERTH_ISOLATION=required asks nothing of the host
// for instances (containers isolate them); build steps stay sandboxed host processes.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerClient } from '../../src/engine/runtime/docker/docker-client.js';
import { treeImageName } from '../../src/engine/runtime/docker/tree-image.js';
import { buildLog, createApp, deploy, viaEdge, waitForDeployment, ws } from '../build/support.js';
import { startRegistry, type TestRegistry } from '../support/docker-registry.js';
import { startGitServer, type GitServer } from '../support/git-http-server.js';
import { dockerdMissing, startDockerd, type TestDockerd } from '../support/dockerd.js';
import { startTestBerth, type TestBerth } from '../support/test-berth.js';
import { buildImage, pushImage, serverImageFiles } from '../support/test-images.js';
import { machineSupport } from '../runtime/process-harness.js';
import { killScope } from './support/berth-process.js';
import { edgeRequest, until } from './support/edge-client.js';

const missing = dockerdMissing();
const support = machineSupport();
/** Where the host allows every isolation, Berth runs with it required (else it could not start). */
const required = support.sandbox === null && support.cgroups === null;

describe.skipIf(missing !== null)(`IMAGE deploys on the docker driver${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let dockerd: TestDockerd;
  let registry: TestRegistry;
  let t: TestBerth;
  let git: GitServer;
  /** The IMAGE app of the first test, still serving. */
  let imageAppId = '';

  beforeAll(async () => {
    dockerd = await startDockerd('image-deploy', 1);
    registry = await startRegistry();
    git = await startGitServer();
    t = await startTestBerth('sqlite', {
      env: {
        BERTH_RUNTIME: 'docker',
        DOCKER_HOST: dockerd.host,
        BERTH_REGISTRY: `${registry.address}/apps`,
        BERTH_READY_TIMEOUT_MS: '20000',
        BERTH_ALLOW_PRIVATE_NETWORKS: '1',
        BERTH_METRICS_INTERVAL_MS: '300',
        BERTH_HEALTH_INTERVAL_MS: '300',
        ...(required ? { BERTH_ISOLATION: 'required' } : {}),
      },
    });
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await git?.close();
    await registry?.stop();
    await dockerd?.stop();
  }, 60_000);

  it('creates the docker driver only: no process runtime runs beside it', () => {
    expect(t.berth.runtime.name).toBe('docker');
    // The process driver keeps its state in {dataDir}/runtime from its first start.
    expect(fs.existsSync(path.join(t.dataDir, 'runtime'))).toBe(false);
  });

  it('deploys by tag, pins the digest, follows the tag on redeploy and rolls back to the old bytes', { timeout: 180_000 }, async () => {
    const docker = dockerClient(dockerd.host);
    const repo = `${registry.address}/hello`;
    await buildImage(docker, `${repo}:live`, serverImageFiles(treeImageName(process.version), 'v1'));
    await pushImage(docker, repo, 'live');
    const appId = await createApp(t, { name: 'Hello image', slug: 'hello-image' });
    imageAppId = appId;

    const first = await waitForDeployment(t, (await deploy(t, { appId, source: { type: 'IMAGE', imageRef: `${repo}:live` } })).id);
    expect(first).toMatchObject({ status: 'succeeded', imageRef: expect.stringMatching(new RegExp(`^${repo}@sha256:[0-9a-f]{64}$`)) });
    expect(await viaEdge(t, 'hello-image')).toEqual({ status: 200, body: 'v1' });

    await buildImage(docker, `${repo}:live`, serverImageFiles(treeImageName(process.version), 'v2'));
    await pushImage(docker, repo, 'live');
    const second = await waitForDeployment(t, (await deploy(t, { appId, source: { type: 'IMAGE', imageRef: `${repo}:live` } })).id);
    expect(second.status).toBe('succeeded');
    expect(second.imageRef).not.toBe(first.imageRef);
    expect(await viaEdge(t, 'hello-image')).toEqual({ status: 200, body: 'v2' });

    // The tag has not moved: the deploy pulls it again and has nothing to roll out.
    const again = await waitForDeployment(t, (await deploy(t, { appId, source: { type: 'IMAGE', imageRef: `${repo}:live` } })).id);
    expect(again).toMatchObject({ status: 'succeeded', imageRef: second.imageRef, revisionName: second.revisionName });
    expect((await buildLog(t, again.id)).join('\n')).toContain(`is what ${second.revisionName} already runs`);
    // A changed env is something to roll out, even with the same bytes.
    expect((await t.request('POST', ws(t, `/apps/${appId}/env-vars`), { body: { key: 'GREETING', value: 'hi' } })).status).toBe(201);
    const withEnv = await waitForDeployment(t, (await deploy(t, { appId, source: { type: 'IMAGE', imageRef: `${repo}:live` } })).id);
    expect(withEnv).toMatchObject({ status: 'succeeded', imageRef: second.imageRef });
    expect(withEnv.revisionName).not.toBe(second.revisionName);

    const rollback = await t.request('POST', ws(t, `/deploy/${first.id}/rollback`));
    expect(rollback.status).toBe(201);
    const rolled = await waitForDeployment(t, rollback.body.id);
    expect(rolled).toMatchObject({ status: 'succeeded', imageRef: first.imageRef });
    expect(await viaEdge(t, 'hello-image')).toEqual({ status: 200, body: 'v1' });

    const containers = await docker.listContainers({ filters: JSON.stringify({ label: ['berth.app=' + appId] }) });
    const inspected = await docker.getContainer(containers[0]?.Id ?? '').inspect();
    expect(inspected.HostConfig.RestartPolicy?.Name).toBe('no');
    expect(inspected.HostConfig.Memory).toBeGreaterThan(0);
    expect(inspected.Config.Image).toBe(first.imageRef);
  });

  it('reads a container like a process: health, metrics (cpu, memory from the stats API) and pipeline state', { timeout: 60_000 }, async () => {
    const get = async (rest: string) => (await t.request('GET', ws(t, rest))).body;
    const health = await until(() => get(`/monitoring/apps/${imageAppId}/health`), (h) => h.instanceCount === 1 && h.status === 'healthy', 20_000);
    expect(health).toMatchObject({ status: 'healthy', instanceCount: 1 });
    const metrics = await until(() => get(`/monitoring/apps/${imageAppId}/metrics?period=1h`), (m) => m.instanceCount.current === 1 && m.memory.current > 0, 20_000);
    expect(metrics.memory.current).toBeGreaterThan(0);
    const pipeline = await get(`/apps/${imageAppId}/pipeline-state`);
    expect(pipeline.runtime).toMatchObject({ readyReplicas: 1, totalReplicas: 1 });
  });

  it('builds a multi-stage Dockerfile app through the engine, pushes it, and reuses the layer cache on a rebuild', { timeout: 180_000 }, async () => {
    const base = treeImageName(process.version);
    const repo = git.createRepo('dockerfile-app', {
      'docker/Dockerfile': [
        `FROM ${base} AS build`,
        'ARG GREETING=none',
        'RUN ["/usr/bin/node", "-e", "require(\'fs\').writeFileSync(\'/tmp/out.txt\', \'built with \' + process.env.GREETING)"]',
        `FROM ${base}`,
        'COPY --from=build /tmp/out.txt /srv/out.txt',
        'COPY server.js /srv/server.js',
        'EXPOSE 4000',
        'CMD ["/usr/bin/node", "/srv/server.js"]',
        '',
      ].join('\n'),
      'server.js': "require('http').createServer((q, s) => s.end(require('fs').readFileSync('/srv/out.txt'))).listen(Number(process.env.PORT || 4000));\n",
    });
    const appId = await createApp(t, { name: 'Dockerfile app', slug: 'dockerfile-app', gitRepoUrl: repo.url, dockerfilePath: 'docker/Dockerfile' });
    expect((await t.request('POST', ws(t, `/apps/${appId}/env-vars/bulk`), { body: { vars: [{ key: 'GREETING', value: 'args' }] } })).status).toBeLessThan(300);
    const first = await waitForDeployment(t, (await deploy(t, { appId })).id);
    expect(first).toMatchObject({ status: 'succeeded', imageRef: expect.stringMatching(new RegExp(`^${registry.address}/apps/berth-[a-z0-9_-]+@sha256:[0-9a-f]{64}$`)) });
    expect(await viaEdge(t, 'dockerfile-app')).toEqual({ status: 200, body: 'built with args' });
    const log = await buildLog(t, first.id);
    expect(log.some((line) => line.startsWith('[docker] Step 1/'))).toBe(true);

    const second = await waitForDeployment(t, (await deploy(t, { appId })).id);
    expect(second.status).toBe('succeeded');
    expect((await buildLog(t, second.id)).filter((line) => line.includes('Using cache')).length).toBeGreaterThanOrEqual(2);
    expect(await viaEdge(t, 'dockerfile-app')).toEqual({ status: 200, body: 'built with args' });
  });

  it('builds a project whose only plan is its root Dockerfile with the engine, without dockerfilePath', { timeout: 180_000 }, async () => {
    const repo = git.createRepo('only-dockerfile', {
      Dockerfile: `FROM ${treeImageName(process.version)}\nCOPY server.js /srv/server.js\nEXPOSE 4100\nCMD ["/usr/bin/node", "/srv/server.js"]\n`,
      'server.js': "require('http').createServer((q, s) => s.end('from the Dockerfile')).listen(Number(process.env.PORT || 4100));\n",
    });
    const appId = await createApp(t, { name: 'Only Dockerfile', slug: 'only-dockerfile', gitRepoUrl: repo.url });
    const deployed = await waitForDeployment(t, (await deploy(t, { appId })).id);
    expect(deployed, deployed.error ?? '').toMatchObject({ status: 'succeeded', buildpack: 'dockerfile', imageRef: expect.stringMatching(/@sha256:[0-9a-f]{64}$/) });
    expect(await viaEdge(t, 'only-dockerfile')).toEqual({ status: 200, body: 'from the Dockerfile' });
    expect(await buildLog(t, deployed.id)).toContain('[plan] no build plan fits these files, but there is Dockerfile: building it with the container engine');
  });

  it('adopts its containers after a kill -9 instead of starting new ones', { timeout: 180_000 }, async () => {
    const docker = dockerClient(dockerd.host);
    const repo = `${registry.address}/phoenix`;
    await buildImage(docker, `${repo}:1`, serverImageFiles(treeImageName(process.version), 'phoenix'));
    await pushImage(docker, repo, '1');
    const scope = killScope('k9d');
    try {
      const env: Record<string, string> = { ...(await scope.processEnv()), BERTH_RUNTIME: 'docker', DOCKER_HOST: dockerd.host, BERTH_ISOLATION: 'auto' };
      const first = await scope.start(env);
      const key = fs.readFileSync(path.join(scope.dataDir, 'admin-key'), 'utf8').trim();
      const api = async (method: string, urlPath: string, body?: unknown): Promise<any> => {
        const res = await fetch(`${first.apiUrl}${urlPath}`, { method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
        return res.json();
      };
      const workspaceId = (await api('GET', '/api/v1/api-keys/whoami')).workspaceId as string;
      const app = await api('POST', `/api/v1/workspaces/${workspaceId}/apps`, { name: 'Phoenix', slug: 'phoenix', visibility: 'public' });
      const started = await api('POST', `/api/v1/workspaces/${workspaceId}/deploy`, { appId: app.id, source: { type: 'IMAGE', imageRef: `${repo}:1` } });
      const deployed = await until(() => api('GET', `/api/v1/workspaces/${workspaceId}/deploy/${started.id}`), (d) => d.status !== 'queued' && d.status !== 'building' && d.status !== 'deploying', 60_000, 200);
      expect(deployed.status).toBe('succeeded');
      const edgePort = Number(env.BERTH_EDGE_PORT);
      const serves = () => until(() => edgeRequest(edgePort, 'phoenix.localhost').catch(() => null), (r) => r?.status === 200, 60_000, 50);
      expect((await serves())?.body).toBe('phoenix');
      const mine = async () => (await docker.listContainers({ filters: JSON.stringify({ label: [`berth.app=${app.id}`] }) })).map((c) => c.Id);
      const before = await mine();
      expect(before).toHaveLength(1);

      first.child.kill('SIGKILL');
      await first.exited;
      expect((await docker.getContainer(before[0] ?? '').inspect()).State.Running).toBe(true);

      const second = await scope.start(env);
      expect((await serves())?.body).toBe('phoenix');
      expect(await mine()).toEqual(before);
      expect(second.output()).not.toMatch(/instance exited/);

      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
      expect(await mine()).toEqual([]);
    } finally {
      await scope.cleanup();
    }
  });
});
