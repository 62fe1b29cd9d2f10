// IMAGE deploys from a private registry (issue 11), end to end: Debian's docker-registry on loopback
// behind htpasswd, a dockerd and a Berth process of this file's own. Without a credential the
// deploy fails saying why; with the workspace's registry credential it pulls and serves; the
// password never appears in a response, the deployment's log, the events or Berth's own log.
// Later starts of a revision's instances (here: Berth restarted after the image was removed from
// the engine) pull with the credential its deploy named, rollbacks too; a deleted credential fails
// the start with an event that names it, and re-creating it lets the next try start.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerClient } from '../../src/engine/runtime/docker/docker-client.js';
import { ensureTreeImage } from '../../src/engine/runtime/docker/tree-image.js';
import { startRegistry, type TestRegistry } from '../support/docker-registry.js';
import { dockerdMissing, startDockerd, type TestDockerd } from '../support/dockerd.js';
import { buildImage, pushImage, serverImageFiles } from '../support/test-images.js';
import { killScope, type BerthProcess, type KillScope } from './support/berth-process.js';
import { edgeRequest, until } from './support/edge-client.js';

const missing = dockerdMissing();

/** A Dooor API client that keeps every answer's text in `seen` (the password must show in none). */
async function recordingApi(apiUrl: () => string, key: string) {
  const seen: string[] = [];
  const api = async (method: string, urlPath: string, body?: unknown): Promise<{ status: number; body: any }> => {
    const res = await fetch(`${apiUrl()}${urlPath}`, { method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    seen.push(text);
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  const wsId = (await api('GET', '/api/v1/api-keys/whoami')).body.workspaceId as string;
  const ws = (p: string) => `/api/v1/workspaces/${wsId}${p}`;
  const finished = (id: string) =>
    until(async () => (await api('GET', ws(`/deploy/${id}`))).body, (d) => !['queued', 'building', 'deploying'].includes(d.status), 90_000, 250);
  return { api, ws, finished, seen };
}

describe.skipIf(missing !== null)(`IMAGE deploys from a registry with a password${missing ? ` (skipped: ${missing})` : ''}`, () => {
  const auth = { username: 'puller', password: `pw-${randomBytes(12).toString('hex')}` };
  let dockerd: TestDockerd;
  let registry: TestRegistry;
  let scope: KillScope;
  let later: KillScope;

  beforeAll(async () => {
    dockerd = await startDockerd('private-registry', 3);
    registry = await startRegistry({ auth });
    scope = killScope('preg');
    later = killScope('pstart');
  }, 120_000);

  afterAll(async () => {
    await later?.cleanup();
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
    const { api, ws, finished, seen } = await recordingApi(() => berth.apiUrl, key);
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

  it('starts instances later with the credential their deploy named, rollbacks too, and says so when it was deleted', { timeout: 300_000 }, async () => {
    const docker = dockerClient(dockerd.host);
    const repo = `${registry.address}/private-later`;
    const base = await ensureTreeImage(docker);
    for (const [tag, text] of [['1', 'first bytes'], ['2', 'second bytes']] as const) {
      await buildImage(docker, `${repo}:${tag}`, serverImageFiles(base, text));
      await pushImage(docker, repo, tag, auth);
      await docker.getImage(`${repo}:${tag}`).remove({ force: true });
    }

    const env: Record<string, string> = { ...(await later.processEnv()), BERTH_RUNTIME: 'docker', DOCKER_HOST: dockerd.host, BERTH_LOG_LEVEL: 'debug', BERTH_READY_TIMEOUT_MS: '20000' };
    const runs: BerthProcess[] = [await later.start(env)];
    const key = fs.readFileSync(path.join(later.dataDir, 'admin-key'), 'utf8').trim();
    const { api, ws, finished, seen } = await recordingApi(() => runs.at(-1)!.apiUrl, key);
    const serves = (text: string) =>
      until(() => edgeRequest(Number(env.BERTH_EDGE_PORT), 'later.localhost').catch(() => null), (r) => r?.status === 200 && r.body === text, 60_000, 200);
    const credential = async () => {
      const created = await api('POST', ws('/registry-credentials'), { name: 'later-reg', registry: registry.address, ...auth });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      return created.body.id as string;
    };
    /** Berth stopped (its containers with it), the app's images removed from the engine, Berth started again: its instances must pull. */
    const restartWithoutImages = async (pinned: string[]) => {
      const running = runs.at(-1)!;
      running.child.kill('SIGTERM');
      await running.exited;
      for (const ref of pinned) {
        // By id, so every tag goes too: an engine that still has the bytes under another name re-links a digest without asking the registry.
        const id = await docker.getImage(ref).inspect().then((info) => info.Id, () => null);
        if (id) await docker.getImage(id).remove({ force: true });
        await expect(docker.getImage(ref).inspect()).rejects.toThrow();
      }
      runs.push(await later.start(env));
    };

    let credentialId = await credential();
    const app = (await api('POST', ws('/apps'), { name: 'Later', slug: 'later', visibility: 'public' })).body;
    const deploy = async (tag: string) => {
      const started = (await api('POST', ws('/deploy'), { appId: app.id, source: { type: 'IMAGE', imageRef: `${repo}:${tag}`, registryAuthRef: 'later-reg' } })).body;
      const done = await finished(started.id);
      expect(done.status, done.error ?? '').toBe('succeeded');
      return done;
    };
    const first = await deploy('1');
    const second = await deploy('2');
    expect((await serves('second bytes'))?.body).toBe('second bytes');

    // A new engine state: neither image is there; the serving revision's instance pulls as its deploy did.
    await restartWithoutImages([first.imageRef, second.imageRef]);
    expect((await serves('second bytes'))?.body).toBe('second bytes');
    expect((await docker.getImage(second.imageRef).inspect()).RepoDigests).toContain(second.imageRef);

    // A rollback's revision pulls with the credential of the revision it reuses, now and at later starts.
    const rollback = await api('POST', ws(`/deploy/${first.id}/rollback`));
    expect(rollback.status, JSON.stringify(rollback.body)).toBe(201);
    expect((await finished(rollback.body.id)).status).toBe('succeeded');
    expect((await serves('first bytes'))?.body).toBe('first bytes');
    await restartWithoutImages([first.imageRef, second.imageRef]);
    expect((await serves('first bytes'))?.body).toBe('first bytes');

    // The credential deleted: the next start cannot pull, and the app's events say which credential is missing.
    expect((await api('DELETE', ws(`/registry-credentials/${credentialId}`))).status).toBe(204);
    await restartWithoutImages([first.imageRef]);
    const events = await until(
      async () => (await api('GET', `/api/v1/apps/${app.id}/events`)).body as { type: string; reason: string; message: string }[],
      (list) => list.some((e) => e.reason === 'Failed'),
      60_000,
      500,
    );
    const failed = events.find((e) => e.reason === 'Failed');
    expect(failed?.type).toBe('Warning');
    expect(failed?.message).toMatch(/could not pull .*private-later@sha256:[0-9a-f]{64} with the registry credential "later-reg"/);
    expect(failed?.message).toMatch(/the registry credential "later-reg" .* no longer exists in the workspace/);
    expect((await edgeRequest(Number(env.BERTH_EDGE_PORT), 'later.localhost').catch(() => null))?.status).not.toBe(200);

    // Created again under that name (a new password would do as well): a later try starts it.
    credentialId = await credential();
    expect((await serves('first bytes'))?.body).toBe('first bytes');

    for (const text of seen) expect(text).not.toContain(auth.password);
    for (const run of runs) expect(run.output()).not.toContain(auth.password);
  });
});
