// Git servers without the smart protocol (git's "dumb" HTTP: static files) cannot serve a shallow
// clone; Berth clones them in full instead, for a branch and for an exact commit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDumbGitServer, type DumbGitServer } from '../support/dumb-git-server.js';
import type { TestBerth } from '../support/test-berth.js';
import { buildLog, createApp, deploy, startBuildBerth, viaEdge, waitForDeployment } from './support.js';

describe('a git server that speaks only dumb HTTP', () => {
  let t: TestBerth;
  let server: DumbGitServer;
  beforeAll(async () => {
    server = await startDumbGitServer();
    t = await startBuildBerth();
  });
  afterAll(async () => {
    await t?.close();
    await server?.close();
  });

  it('is cloned in full, for the branch and for an exact commit', { timeout: 120_000 }, async () => {
    const repo = server.createRepo('plain-site', [{ 'index.html': '<h1>first</h1>' }, { 'index.html': '<h1>second</h1>' }]);
    const [first, second] = repo.shas;
    const appId = await createApp(t, { name: 'Dumb', slug: 'dumb', gitRepoUrl: repo.url, gitBranch: 'main' });

    const branch = await waitForDeployment(t, (await deploy(t, { appId })).id);
    const branchLog = await buildLog(t, branch.id);
    expect(branch.error, branchLog.join('\n')).toBeNull();
    expect(branch).toMatchObject({ status: 'succeeded', gitCommitSha: second, gitCommitMessage: 'commit 2' });
    expect(branchLog).toContain('[source] the server cannot serve a shallow clone (a dumb HTTP server): cloning the branch with its full history');
    expect(await viaEdge(t, 'dumb')).toEqual({ status: 200, body: '<h1>second</h1>' });
    // Dumb HTTP is files: git read the repository's info/refs and objects over plain GETs.
    expect(server.requests).toContain('/plain-site.git/info/refs?service=git-upload-pack');

    const exact = await waitForDeployment(t, (await deploy(t, { appId, gitCommitSha: first })).id);
    const exactLog = await buildLog(t, exact.id);
    expect(exact.error, exactLog.join('\n')).toBeNull();
    expect(exact).toMatchObject({ status: 'succeeded', gitCommitSha: first });
    expect(exactLog).toContain('[source] the server cannot serve a shallow history (a dumb HTTP server): fetching every branch in full');
    expect(await viaEdge(t, 'dumb')).toEqual({ status: 200, body: '<h1>first</h1>' });
  });
});
