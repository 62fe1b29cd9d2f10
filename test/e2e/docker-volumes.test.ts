// Persistent volumes on the docker driver (issue 15), end to end on a dockerd this file starts and
// stops: the same bounded volume the process driver binds into its sandbox is bound into the
// container, what the app writes survives a redeploy, a rollback and a restart of Berth, a full
// volume is the app's ENOSPC, an image that runs as a named non-root user may write its volume,
// a single-writer volume pins the app to one container, an attached REDIS database's socket
// directory is reachable from the container, and a container adopted after a kill -9 of Berth keeps
// its volume (unmounted once the next Berth stops cleanly).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerClient } from '../../src/engine/runtime/docker/docker-client.js';
import { treeImageName } from '../../src/engine/runtime/docker/tree-image.js';
import { deploy, waitForDeployment } from '../build/support.js';
import { artifactDir } from '../support/app-fixtures.js';
import { startRegistry, type TestRegistry } from '../support/docker-registry.js';
import { dockerdMissing, startDockerd, type TestDockerd } from '../support/dockerd.js';
import { startTestBerth, type TestBerth } from '../support/test-berth.js';
import { buildImage, pushImage } from '../support/test-images.js';
import { killScope } from './support/berth-process.js';
import { edgeRequest, until } from './support/edge-client.js';

const missing = dockerdMissing();

/** A server that appends `?add=` to /data/notes.txt, fills /data on /fill, and answers what it holds (and who it runs as). */
const storageServer = (version: string): string => `const fs = require('fs');
const file = '/data/notes.txt';
const server = require('http').createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  const out = { version: ${JSON.stringify(version)}, uid: process.getuid() };
  try {
    if (url.pathname === '/fill') { fs.writeFileSync('/data/big', Buffer.alloc(64 * 1024 * 1024)); out.filled = true; }
    if (url.searchParams.get('add')) fs.appendFileSync(file, url.searchParams.get('add') + '\\n');
    out.notes = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\\n').filter(Boolean) : [];
  } catch (error) { out.error = error.code || String(error.message).slice(0, 200); }
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(out));
});
server.listen(Number(process.env.PORT || 3000));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

/** A server that INCRs a counter over the socket REDIS_URL names (RESP by hand, as in test/databases/redis-e2e.test.ts). */
const redisServer = `const net = require('net');
const [, user, password, socketPath] = /^unix:\\/\\/([^:]*):([^@]*)@(\\/[^?]+)/.exec(process.env.REDIS_URL || 'unix://x:y@/nowhere');
const encode = (args) => '*' + args.length + '\\r\\n' + args.map((a) => '$' + Buffer.byteLength(a) + '\\r\\n' + a + '\\r\\n').join('');
require('http').createServer((req, res) => {
  const socket = net.connect(socketPath);
  let reply = '';
  const answer = (out) => { res.setHeader('content-type', 'application/json'); res.end(JSON.stringify(out)); };
  socket.on('connect', () => socket.write(encode(['AUTH', user, decodeURIComponent(password)]) + encode(['INCR', 'hits'])));
  socket.on('data', (chunk) => { reply += chunk; const lines = reply.split('\\r\\n'); if (lines.length >= 3) { socket.end(); answer({ auth: lines[0], hits: Number(lines[1].slice(1)) }); } });
  socket.on('error', (error) => answer({ error: error.code || error.message }));
}).listen(Number(process.env.PORT));
`;

describe.skipIf(missing !== null)(`persistent volumes on the docker driver${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let dockerd: TestDockerd;
  let registry: TestRegistry;
  let t: TestBerth;
  const dataDir = fs.mkdtempSync('/tmp/berth-dvol-');
  const env = () => ({ BERTH_RUNTIME: 'docker', DOCKER_HOST: dockerd.host, BERTH_READY_TIMEOUT_MS: '20000', BERTH_ALLOW_PRIVATE_NETWORKS: '1' });
  const ws = (p: string) => `/api/v1/workspaces/${t.workspaceId}${p}`;
  const ask = async (slug: string, query = '') => JSON.parse((await edgeRequest(t.berth.edgePort, `${slug}.localhost`, { path: `/${query}` })).body) as Record<string, unknown>;
  const deployTree = async (appId: string, version: string) => {
    const dir = artifactDir();
    fs.writeFileSync(path.join(dir, 'server.js'), storageServer(version));
    const result = await t.berth.core.deployArtifact({ appId, artifactDir: dir, command: ['/usr/bin/node', 'server.js'], imageRef: `dir:${version}`, triggerType: 'MANUAL' });
    expect(result.deployment.status, result.deployment.error ?? '').toBe('succeeded');
    return result;
  };
  const mounted = (dir: string) => fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n').some((line) => line.split(' ')[4] === dir);
  const containersOf = async (appId: string) => (await dockerClient(dockerd.host).listContainers({ filters: JSON.stringify({ label: [`berth.app=${appId}`] }) })).map((c) => c.Id);

  beforeAll(async () => {
    dockerd = await startDockerd('volumes', 2);
    registry = await startRegistry();
    t = await startTestBerth('sqlite', { dataDir, env: env() });
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await registry?.stop();
    await dockerd?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('keeps what the app writes across a redeploy, a rollback and a restart of Berth, bounded by its size', { timeout: 180_000 }, async () => {
    expect(t.berth.runtime.name).toBe('docker');
    const app = (await t.request('POST', ws('/apps'), { body: { name: 'Keeper', slug: 'keeper', visibility: 'public' } })).body;
    const volume = await t.request('POST', ws(`/apps/${app.id}/volumes`), { body: { name: 'data', mountPath: '/data', sizeMi: 32 } });
    expect(volume.status, JSON.stringify(volume.body)).toBe(201);

    const one = await deployTree(app.id, 'one');
    expect(await ask('keeper', '?add=first')).toMatchObject({ version: 'one', notes: ['first'] });
    await deployTree(app.id, 'two');
    expect(await ask('keeper', '?add=second')).toMatchObject({ version: 'two', notes: ['first', 'second'] });
    const rollback = await t.request('POST', ws(`/deploy/apps/${app.id}/traffic`), { body: { splits: [{ revisionName: one.revision!.name, percent: 100 }] } });
    expect(rollback.status, JSON.stringify(rollback.body)).toBe(200);
    expect(await ask('keeper', '?add=third')).toMatchObject({ version: 'one', notes: ['first', 'second', 'third'] });
    // Bounded: 64 MiB do not fit in 32, and the app is the one that is told.
    expect(await ask('keeper', 'fill')).toMatchObject({ error: 'ENOSPC' });
    const [id] = await containersOf(app.id);
    const mounts = (await dockerClient(dockerd.host).getContainer(id ?? '').inspect()).Mounts;
    expect(mounts.find((m) => m.Destination === '/data')).toMatchObject({ Type: 'bind', RW: true });

    await t.close();
    t = await startTestBerth('sqlite', { dataDir, env: env() });
    await until(() => edgeRequest(t.berth.edgePort, 'keeper.localhost'), (res) => res.status === 200, 60_000);
    expect(await ask('keeper')).toMatchObject({ notes: ['first', 'second', 'third'] });

    expect((await t.request('DELETE', ws(`/apps/${app.id}/permanent`))).status).toBe(204);
    expect(fs.existsSync(path.join(dataDir, 'volumes', volume.body.id))).toBe(false);
  });

  it('hands the volume to the non-root user an image runs as; a single-writer volume pins the app to one container', { timeout: 180_000 }, async () => {
    const docker = dockerClient(dockerd.host);
    const repo = `${registry.address}/keeper-user`;
    await buildImage(docker, `${repo}:1`, {
      Dockerfile: `FROM ${treeImageName(process.version)}\nCOPY passwd /etc/passwd\nCOPY group /etc/group\nCOPY server.js /srv/server.js\nUSER keeper\nEXPOSE 3000\nCMD ["/usr/bin/node", "/srv/server.js"]\n`,
      passwd: 'root:x:0:0:root:/root:/bin/sh\nkeeper:x:4321:4322:keeper:/srv:/bin/sh\n',
      group: 'root:x:0:\nkeeper:x:4322:\n',
      'server.js': storageServer('image'),
    });
    await pushImage(docker, repo, '1');
    const app = (await t.request('POST', ws('/apps'), { body: { name: 'Keeper user', slug: 'keeper-user', visibility: 'public' } })).body;
    const volume = await t.request('POST', ws(`/apps/${app.id}/volumes`), { body: { name: 'data', mountPath: '/data', sizeMi: 16, singleWriter: true } });
    expect(volume.status, JSON.stringify(volume.body)).toBe(201);
    expect((await t.request('POST', ws('/deploy/scale'), { body: { appId: app.id, replicas: 2 } })).status).toBe(400);

    const deployed = await waitForDeployment(t, (await deploy(t, { appId: app.id, source: { type: 'IMAGE', imageRef: `${repo}:1` } })).id);
    expect(deployed.status, deployed.error ?? '').toBe('succeeded');
    expect(await ask('keeper-user', '?add=mine')).toMatchObject({ version: 'image', uid: 4321, notes: ['mine'] });
    expect(await containersOf(app.id)).toHaveLength(1);
  });

  it('keeps an adopted container\'s volume mounted after a kill -9, and unmounts it when the next Berth stops', { timeout: 180_000 }, async () => {
    const docker = dockerClient(dockerd.host);
    const repo = `${registry.address}/keeper-k9`;
    await buildImage(docker, `${repo}:1`, { Dockerfile: `FROM ${treeImageName(process.version)}\nCOPY server.js /srv/server.js\nEXPOSE 3000\nCMD ["/usr/bin/node", "/srv/server.js"]\n`, 'server.js': storageServer('k9') });
    await pushImage(docker, repo, '1');
    const scope = killScope('dvk9');
    try {
      const env: Record<string, string> = { ...(await scope.processEnv()), BERTH_RUNTIME: 'docker', DOCKER_HOST: dockerd.host };
      const first = await scope.start(env);
      const key = fs.readFileSync(path.join(scope.dataDir, 'admin-key'), 'utf8').trim();
      const api = async (method: string, urlPath: string, body?: unknown): Promise<any> =>
        (await fetch(`${first.apiUrl}${urlPath}`, { method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })).json();
      const wsId = (await api('GET', '/api/v1/api-keys/whoami')).workspaceId as string;
      const app = await api('POST', `/api/v1/workspaces/${wsId}/apps`, { name: 'Phoenix data', slug: 'phoenix-data', visibility: 'public' });
      const volume = await api('POST', `/api/v1/workspaces/${wsId}/apps/${app.id}/volumes`, { name: 'data', mountPath: '/data', sizeMi: 16 });
      const started = await api('POST', `/api/v1/workspaces/${wsId}/deploy`, { appId: app.id, source: { type: 'IMAGE', imageRef: `${repo}:1` } });
      const deployed = await until(() => api('GET', `/api/v1/workspaces/${wsId}/deploy/${started.id}`), (d) => !['queued', 'building', 'deploying'].includes(d.status), 60_000, 200);
      expect(deployed.status, deployed.error ?? '').toBe('succeeded');
      const edge = (query: string) => until(() => edgeRequest(Number(env.BERTH_EDGE_PORT), 'phoenix-data.localhost', { path: `/${query}` }).catch(() => null), (r) => r?.status === 200, 60_000, 50);
      expect(JSON.parse((await edge('?add=before'))?.body ?? '{}')).toMatchObject({ notes: ['before'] });
      const data = path.join(scope.dataDir, 'volumes', volume.id, 'data');
      expect(mounted(data)).toBe(true);
      const before = await containersOf(app.id);

      first.child.kill('SIGKILL');
      await first.exited;
      const second = await scope.start(env);
      expect(JSON.parse((await edge('?add=after'))?.body ?? '{}')).toMatchObject({ notes: ['before', 'after'] });
      expect(await containersOf(app.id)).toEqual(before);

      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
      expect(mounted(data)).toBe(false);
    } finally {
      await scope.cleanup();
    }
  });

  it('binds an attached REDIS database\'s socket directory into the container, where REDIS_URL says', { timeout: 120_000 }, async () => {
    const created = await t.request('POST', ws('/databases'), { body: { name: 'Cache', slug: 'cache', engine: 'REDIS', storageGb: 1, memory: '128Mi' } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const running = await until(() => t.request('GET', ws(`/databases/${created.body.id}`)), (r) => r.body.status !== 'PROVISIONING', 30_000);
    expect(running.body.status, JSON.stringify(running.body)).toBe('RUNNING');
    const app = (await t.request('POST', ws('/apps'), { body: { name: 'Counter', slug: 'counter', visibility: 'public' } })).body;
    expect((await t.request('POST', ws(`/databases/${created.body.id}/attachments`), { body: { appId: app.id } })).status).toBe(201);
    const dir = artifactDir();
    fs.writeFileSync(path.join(dir, 'server.js'), redisServer);
    const result = await t.berth.core.deployArtifact({ appId: app.id, artifactDir: dir, command: ['/usr/bin/node', 'server.js'], imageRef: 'dir:counter', triggerType: 'MANUAL' });
    expect(result.deployment.status, result.deployment.error ?? '').toBe('succeeded');
    // Readiness probes count too: the second answer is one more than the first.
    const first = await ask('counter');
    expect(first).toMatchObject({ auth: '+OK', hits: expect.any(Number) });
    expect(await ask('counter')).toEqual({ auth: '+OK', hits: (first.hits as number) + 1 });
    expect((await t.request('DELETE', ws(`/databases/${created.body.id}`))).status).toBe(204);
  });
});
