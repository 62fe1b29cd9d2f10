// IMAGE deploys from a private registry (issue 11), end to end: Debian's docker-registry on loopback
// behind htpasswd, a dockerd and a Berth process of this file's own. Without a credential the
// deploy fails saying why; with the workspace's registry credential it pulls and serves; the
// password never appears in a response, the deployment's log, the events or Berth's own log.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerClient } from '../../src/engine/runtime/docker/docker-client.js';
import { ensureTreeImage } from '../../src/engine/runtime/docker/tree-image.js';
import { startRegistry, type TestRegistry } from '../support/docker-registry.js';
import { dockerdMissing, startDockerd, type TestDockerd } from '../support/dockerd.js';
import { buildImage, pushImage, serverImageFiles } from '../support/test-images.js';
import { killScope, type KillScope } from './support/berth-process.js';
import { edgeRequest, until } from './support/edge-client.js';

const missing = dockerdMissing();

describe.skipIf(missing !== null)(`IMAGE deploys from a registry with a password${missing ? ` (skipped: ${missing})` : ''}`, () => {
  const auth = { username: 'puller', password: `pw-${randomBytes(12).toString('hex')}` };
  let dockerd: TestDockerd;
  let registry: TestRegistry;
  let scope: KillScope;

  beforeAll(async () => {
    dockerd = await startDockerd('private-registry', 3);
    registry = await startRegistry({ auth });
    scope = killScope('preg');
  }, 120_000);

  afterAll(async () => {
    await scope?.cleanup();
    await registry?.stop();
    await dockerd?.stop();
  }, 60_000);

  it('pulls with the workspace credential, fails clearly without it, and never shows the password', { timeout: 180_000 }, async () => {
    const docker = dockerClient(dockerd.host);
    const repo = `${registry.address}/private`;
    await buildImage(docker, `${repo}:1`, serverImageFiles(await ensureTreeImage(docker), 'private bytes'));
    await pushImage(docker, repo, '1', auth);
    // Only the registry has it now: a deploy must pull it.
    await docker.getImage(`${repo}:1`).remove({ force: true });

    const env: Record<string, string> = { ...(await scope.processEnv()), BERTH_RUNTIME: 'docker', DOCKER_HOST: dockerd.host, BERTH_LOG_LEVEL: 'debug', BERTH_READY_TIMEOUT_MS: '20000' };
    const berth = await scope.start(env);
    const key = fs.readFileSync(path.join(scope.dataDir, 'admin-key'), 'utf8').trim();
    const seen: string[] = [];
    const api = async (method: string, urlPath: string, body?: unknown): Promise<{ status: number; body: any }> => {
      const res = await fetch(`${berth.apiUrl}${urlPath}`, { method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await res.text();
      seen.push(text);
      return { status: res.status, body: text ? JSON.parse(text) : null };
    };
    const wsId = (await api('GET', '/api/v1/api-keys/whoami')).body.workspaceId as string;
    const ws = (p: string) => `/api/v1/workspaces/${wsId}${p}`;
    const finished = (id: string) =>
      until(async () => (await api('GET', ws(`/deploy/${id}`))).body, (d) => !['queued', 'building', 'deploying'].includes(d.status), 90_000, 250);
    const app = (await api('POST', ws('/apps'), { name: 'Private', slug: 'private', visibility: 'public' })).body;

    const anonymous = (await api('POST', ws('/deploy'), { appId: app.id, source: { type: 'IMAGE', imageRef: `${repo}:1` } })).body;
    const refused = await finished(anonymous.id);
    expect(refused.status).toBe('failed');
    expect(refused.error).toMatch(new RegExp(`could not pull ${repo}:1: .*(unauthorized|authentication required|no basic auth credentials)`, 'i'));

    const unknown = await api('POST', ws('/deploy'), { appId: app.id, source: { type: 'IMAGE', imageRef: `${repo}:1`, registryAuthRef: 'nothing-by-this-name' } });
    expect(unknown.status).toBe(400);

    const created = await api('POST', ws('/registry-credentials'), { name: 'private-reg', registry: registry.address, ...auth });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ name: 'private-reg', registry: registry.address, username: auth.username });
    expect((await api('GET', ws('/registry-credentials'))).body).toEqual([created.body]);

    const started = (await api('POST', ws('/deploy'), { appId: app.id, source: { type: 'IMAGE', imageRef: `${repo}:1`, registryAuthRef: 'private-reg' } })).body;
    const deployed = await finished(started.id);
    expect(deployed.status, deployed.error ?? '').toBe('succeeded');
    expect(deployed.imageRef).toMatch(new RegExp(`^${repo}@sha256:[0-9a-f]{64}$`));
    const served = await until(() => edgeRequest(Number(env.BERTH_EDGE_PORT), 'private.localhost').catch(() => null), (r) => r?.status === 200, 30_000, 100);
    expect(served?.body).toBe('private bytes');

    for (const id of [anonymous.id, started.id]) {
      const log = (await api('GET', ws(`/deploy/${id}/logs`))).body.logs as string[];
      expect(log.length).toBeGreaterThan(0);
    }
    expect((await api('GET', ws(`/deploy/${started.id}/logs`))).body.logs.join('\n')).toContain(`pulling ${repo}:1 as ${auth.username}`);
    expect((await api('GET', `/api/v1/apps/${app.id}/events`)).body.some((e: { reason: string }) => e.reason === 'Pulled')).toBe(true);
    expect((await api('GET', `/api/v1/apps/${app.id}/audit`)).status).toBe(200);
    await api('GET', ws(`/deploy/${started.id}`));
    for (const text of seen) expect(text).not.toContain(auth.password);
    expect(berth.output().length).toBeGreaterThan(0);
    expect(berth.output()).not.toContain(auth.password);
  });
});
