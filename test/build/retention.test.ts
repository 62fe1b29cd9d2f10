// Artifact retention (BERTH_KEEP_REVISIONS, default 10): after more than 10 deployments, the
// artifacts (and revision trees) of the last 10 revisions are kept and older ones removed, so
// rollback works within the last 10 and says plainly when an artifact was pruned. Revisions
// served within the warm window keep theirs too (their warm instances run from them), so the
// clock is moved past it.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitServer } from '../support/git-http-server.js';
import type { GitServer } from '../support/git-http-server.js';
import { until } from '../e2e/support/edge-client.js';
import { shiftableClock } from '../support/shiftable-clock.js';
import { startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';
import { buildBackend, createApp, deploy, edgeJson, waitForDeployment, ws } from './support.js';

const server = (n: number) => `require('node:http').createServer((q, s) => s.end(JSON.stringify({ n: ${n} }))).listen(Number(process.env.PORT));\n`;

describe('artifact retention', () => {
  let t: TestBerth;
  let git: GitServer;
  const clock = shiftableClock();

  beforeAll(async () => {
    git = await startGitServer();
    t = await startTestBerth(buildBackend, { env: { BERTH_ALLOW_PRIVATE_NETWORKS: '1', BERTH_ARTIFACT_GRACE_MS: '0' }, start: { clock } });
  });
  afterAll(async () => {
    await t?.close();
    await git?.close();
  });

  it('keeps the artifacts of the last 10 revisions and removes older ones', { timeout: 240_000 }, async () => {
    const repo = git.createRepo('kept', { Procfile: 'web: node server.js\n', 'server.js': server(1) });
    const appId = await createApp(t, { name: 'Kept', slug: 'kept', gitRepoUrl: repo.url });
    const deployments: any[] = [];
    for (let n = 1; n <= 12; n++) {
      if (n > 1) repo.commit(`n=${n}`, { 'server.js': server(n) });
      const done = await waitForDeployment(t, (await deploy(t, { appId })).id);
      expect(done.status).toBe('succeeded');
      deployments.push(done);
    }
    const artifactsDir = path.join(t.dataDir, 'builds', 'artifacts');
    // All were served minutes ago: all are kept for their warm instances.
    expect(fs.readdirSync(artifactsDir)).toHaveLength(12);

    clock.advance(30 * 60_000);
    const back = await waitForDeployment(t, (await t.request('POST', ws(t, `/deploy/${deployments[3].id}/rollback`))).body.id);
    expect(back).toMatchObject({ status: 'succeeded', revisionName: 'kept-00013' });
    expect(await edgeJson(t, 'kept')).toEqual({ n: 4 });
    // The last 10 revisions are 00004 to 00013 (which reuses 00004's artifact). The sweep runs
    // once the deployment has ended, so it may still be removing when the client reads succeeded.
    const wanted = new Set(deployments.slice(3).map((d) => d.imageRef));
    const keptNow = async () => new Set(fs.readdirSync(artifactsDir).map((hex) => `sha256:${hex}`));
    expect(await until(keptNow, (kept) => kept.size <= wanted.size, 30_000)).toEqual(wanted);
    expect(await until(async () => fs.readdirSync(path.join(t.dataDir, 'builds', 'revisions')), (dirs) => dirs.length <= 10, 30_000)).toHaveLength(10);
    const gone = await t.request('POST', ws(t, `/deploy/${deployments[0].id}/rollback`));
    expect(gone.status).toBe(409);
    expect(gone.body.message).toMatch(/was pruned: .*BERTH_KEEP_REVISIONS/);
  });
});
