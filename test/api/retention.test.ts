// Retention with BERTH_KEEP_REVISIONS=2, in process: four builds of an app version deployed
// (spec 003, the cheapest real deploys), then the clock moved past the warm window and a rollback
// to the third. On disk only the artifacts of the newest two revisions and builds stay (the third's
// is shared with the rollback's revision), and only the trees of the newest two revisions; every
// record stays listed, and rolling back to, promoting or deploying pruned output answers 409.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../e2e/support/edge-client.js';
import { edgeGet } from '../support/edge-get.js';
import { shiftableClock } from '../support/shiftable-clock.js';
import { startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';

describe.each(['sqlite', 'postgres'] as const)('pruning build output beyond BERTH_KEEP_REVISIONS on %s', (backend) => {
  let t: TestBerth;
  const clock = shiftableClock();
  const ws = (rest: string) => `/api/v1/workspaces/${t.workspaceId}${rest}`;
  const builds = () => path.join(t.dataDir, 'builds');
  const onDisk = (dir: string) => new Set(fs.existsSync(path.join(builds(), dir)) ? fs.readdirSync(path.join(builds(), dir)) : []);
  const finished = async (url: string) => until(async () => (await t.request('GET', url)).body, (body) => ['completed', 'failed'].includes(body.status), 60_000, 150);

  beforeAll(async () => {
    // No grace: every prune removes at once whatever retention does not keep.
    t = await startTestBerth(backend, { via: 'inject', env: { BERTH_KEEP_REVISIONS: '2', BERTH_ARTIFACT_GRACE_MS: '0' }, start: { clock } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('keeps the newest N and what they share, keeps every record, and answers 409 for pruned output', { timeout: 180_000 }, async () => {
    const app = (await t.request('POST', '/api/apps', { body: { name: `Pruned ${backend}`, publicAccess: true } })).body;
    const version = app.defaultVersionId;
    const built: { buildId: string; deploymentId: string }[] = [];
    for (let n = 1; n <= 4; n++) {
      await t.request(n === 1 ? 'POST' : 'PATCH', `/api/app-versions/${version}/files`, { body: { path: 'index.html', content: `release ${n}` } });
      const build = await finished(`/api/apps/${app.id}/builds/${(await t.request('POST', `/api/apps/${app.id}/builds`)).body.id}`);
      expect(build.status).toBe('completed');
      const deploy = (await t.request('POST', `/api/apps/${app.id}/builds/${build.id}/deploy`)).body;
      expect((await finished(`/api/apps/${app.id}/deploys/${deploy.id}`)).status).toBe('completed');
      built.push({ buildId: build.id, deploymentId: deploy.id });
    }
    // All four served minutes ago, so their warm standbys keep them: nothing is pruned yet.
    expect(onDisk('artifacts').size).toBe(4);

    clock.advance(30 * 60_000);
    const back = await t.request('POST', ws(`/deploy/${built[2]?.deploymentId}/rollback`));
    expect(back.status, JSON.stringify(back.body)).toBe(201);
    expect(await until(async () => (await t.request('GET', ws(`/deploy/${back.body.id}`))).body.status, (s) => s === 'succeeded' || s === 'failed', 60_000)).toBe('succeeded');
    expect((await edgeGet(t.berth.edgePort, `${app.handle}.localhost`, '/')).body).toBe('release 3');

    const revisions = await t.berth.store.revisions.list(app.id); // newest first: 00005 reuses 00003's artifact
    expect(revisions.map((r) => r.sequence)).toEqual([5, 4, 3, 2, 1]);
    const [fifth, fourth, third, second, first] = revisions;
    const hex = (ref: string | undefined) => ref?.replace('sha256:', '');
    expect(fifth?.imageRef).toBe(third?.imageRef);
    // The prune runs once the rollback has ended, so it may still be removing when it reads succeeded.
    const kept = new Set([hex(fifth?.imageRef), hex(fourth?.imageRef)]);
    expect(await until(async () => onDisk('artifacts'), (names) => names.size <= kept.size, 30_000)).toEqual(kept);
    const keptTrees = new Set([fifth, fourth].map((r) => path.basename(r?.artifactDir ?? '')));
    expect(await until(async () => onDisk('revisions'), (names) => names.size <= keptTrees.size, 30_000)).toEqual(keptTrees);

    // No record went: every revision and build is still listed.
    const listed = (await t.request('GET', ws(`/deploy/apps/${app.id}/revisions`))).body as { revisionName: string }[];
    expect(listed.map((r) => r.revisionName)).toEqual(revisions.map((r) => r.name));
    const buildList = (await t.request('GET', `/api/apps/${app.id}/builds`)).body;
    expect(JSON.stringify(buildList)).toContain(built[0]?.buildId);

    const pruned = (label: string | undefined, ref: string | undefined) => ({
      statusCode: 409,
      error: 'Conflict',
      message: `The artifact ${ref} of ${label} was pruned: Berth keeps the artifacts of each app's newest BERTH_KEEP_REVISIONS revisions and of those that hold traffic or run; deploy from source again`,
    });
    const rollback = await t.request('POST', ws(`/deploy/${built[0]?.deploymentId}/rollback`));
    expect(rollback.body).toEqual(pruned(first?.name, first?.imageRef));
    expect(rollback.status).toBe(409);
    const promote = await t.request('POST', ws(`/deploy/revisions/${second?.name}/promote`));
    expect(promote.body).toEqual(pruned(second?.name, second?.imageRef));
    expect(promote.status).toBe(409);
    const deployBuild = await t.request('POST', `/api/apps/${app.id}/builds/${built[0]?.buildId}/deploy`);
    expect(deployBuild.status).toBe(409);
    expect(deployBuild.body.message).toBe(pruned(`build ${built[0]?.buildId}`, first?.imageRef).message);
    // Nothing failed or moved: the app still serves the rollback, and no deployment was recorded for the refusals.
    expect((await edgeGet(t.berth.edgePort, `${app.handle}.localhost`, '/')).body).toBe('release 3');
    expect((await t.request('GET', `/api/apps/${app.id}/deploys`)).body.data).toHaveLength(5);

    // The third revision's tree went but its artifact is shared: promoting it fails, rolling back to it works.
    expect((await t.request('POST', ws(`/deploy/revisions/${third?.name}/promote`))).status).toBe(409);
    const again = await t.request('POST', ws(`/deploy/${built[3]?.deploymentId}/rollback`));
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    expect(await until(async () => (await t.request('GET', ws(`/deploy/${again.body.id}`))).body.status, (s) => s === 'succeeded' || s === 'failed', 60_000)).toBe('succeeded');
    expect((await edgeGet(t.berth.edgePort, `${app.handle}.localhost`, '/')).body).toBe('release 4');
  });
});

describe('pruning at start', () => {
  const clock = shiftableClock();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-prune-'));
  let t: TestBerth | undefined;
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('prunes every app once Berth has started, by the limit it starts with', { timeout: 120_000 }, async () => {
    const start = (keep: string) => startTestBerth('sqlite', { via: 'inject', dataDir, env: { BERTH_KEEP_REVISIONS: keep, BERTH_ARTIFACT_GRACE_MS: '0' }, start: { clock } });
    t = await start('10');
    const app = (await t.request('POST', '/api/apps', { body: { name: 'Pruned at start', publicAccess: true } })).body;
    for (let n = 1; n <= 3; n++) {
      await t.request(n === 1 ? 'POST' : 'PATCH', `/api/app-versions/${app.defaultVersionId}/files`, { body: { path: 'index.html', content: `release ${n}` } });
      const build = (await t.request('POST', `/api/apps/${app.id}/builds`)).body;
      expect((await until(async () => (await t?.request('GET', `/api/apps/${app.id}/builds/${build.id}`))?.body, (b) => b.status !== 'queued' && b.status !== 'running', 60_000, 150)).status).toBe('completed');
      const deploy = (await t.request('POST', `/api/apps/${app.id}/builds/${build.id}/deploy`)).body;
      expect((await until(async () => (await t?.request('GET', `/api/apps/${app.id}/deploys/${deploy.id}`))?.body, (d) => ['completed', 'failed'].includes(d.status), 60_000, 150)).status).toBe('completed');
    }
    const artifacts = path.join(dataDir, 'builds', 'artifacts');
    expect(fs.readdirSync(artifacts)).toHaveLength(3);
    await t.close();

    clock.advance(30 * 60_000);
    t = await start('1');
    const [newest] = await t.berth.store.revisions.list(app.id);
    const keptNow = await until(async () => fs.readdirSync(artifacts), (names) => names.length <= 1, 30_000);
    expect(keptNow.map((hex) => `sha256:${hex}`)).toEqual([newest?.imageRef]);
    expect(await until(async () => fs.readdirSync(path.join(dataDir, 'builds', 'revisions')), (names) => names.length <= 1, 30_000)).toEqual([path.basename(newest?.artifactDir ?? '')]);
    expect(await t.berth.store.revisions.list(app.id)).toHaveLength(3);
    // The serving revision starts again with Berth; it answers once ready.
    const served = await until(async () => edgeGet(t?.berth.edgePort ?? 0, `${app.handle}.localhost`, '/'), (r) => r.status === 200, 30_000, 200);
    expect(served.body).toBe('release 3');
  });
});
