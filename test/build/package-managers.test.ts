// pnpm and Yarn projects with real lockfiles, from a git server on loopback: each is installed by
// the package manager its lockfile names, built by it (the build script records which ran it),
// serves its dependency's answer through the edge, and redeploys warm from the dependency cache.
// pnpm's artifacts go without the devDependency the build needs (the cache keeps it for the warm
// build); Yarn's keep it, saying why.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildLog, createApp, deploy, edgeJson, fixturesDir, waitForDeployment, useGitAndBerth } from './support.js';

const yarnKeeps =
  '[prune] Kept devDependencies: Yarn v1 prunes by reinstalling (yarn install --production), which extracts packages again without their install scripts (a native module would lose its build); Berth prunes npm and pnpm installs';

describe.each([
  {
    manager: 'pnpm',
    lockfile: 'pnpm-lock.yaml',
    spec: 'pnpm@9',
    install: 'pnpm install --frozen-lockfile',
    prune: '[prune] Pruning devDependencies (is-number): the start command `node server.js` needs none of them',
    devDependency: false,
  },
  { manager: 'yarn', lockfile: 'yarn.lock', spec: 'yarn@1', install: 'yarn install --frozen-lockfile', prune: yarnKeeps, devDependency: true },
])('a $manager project from git', ({ manager, lockfile, spec, install, prune, devDependency }) => {
  const ctx = useGitAndBerth();

  it(`installs and builds with ${manager}, serves, and redeploys from the cache`, { timeout: 240_000 }, async () => {
    const { t, git } = ctx;
    const repo = git.createRepo(manager, path.join(fixturesDir, `${manager}-app`));
    const appId = await createApp(t, { name: `${manager} app`, slug: `${manager}-app`, gitRepoUrl: repo.url });
    const first = await waitForDeployment(t, (await deploy(t, { appId })).id);
    expect(first.error).toBeNull();
    expect(first).toMatchObject({ status: 'succeeded', buildpack: `node-${manager}` });
    const log = await buildLog(t, first.id);
    expect(log.find((l) => l.startsWith('[plan]'))).toBe(`[plan] Detected a Node.js project (${manager}, ${lockfile})`);
    expect(log).toContain(`[build] $ npm exec --yes --package=${spec} -- ${install}`);
    expect(log).toContain(prune);
    const served = await edgeJson(t, `${manager}-app`);
    expect(served).toMatchObject({ twoDaysMs: 172_800_000, message: 'hello', devDependency });
    expect(served.builtBy).toMatch(new RegExp(`^${manager}/\\d+\\.`));

    repo.commit('new message', { 'server.js': fs.readFileSync(path.join(fixturesDir, `${manager}-app`, 'server.js'), 'utf8').replace("'hello'", "'hello again'") });
    const second = await waitForDeployment(t, (await deploy(t, { appId })).id);
    expect(second.status).toBe('succeeded');
    const warmLog = await buildLog(t, second.id);
    expect(warmLog.some((l) => l.startsWith('[cache] dependencies unchanged'))).toBe(true);
    expect(warmLog.some((l) => l.startsWith('[build] $') && l.includes(install))).toBe(false);
    expect(warmLog).toContain(prune);
    expect(await edgeJson(t, `${manager}-app`)).toMatchObject({ twoDaysMs: 172_800_000, message: 'hello again', devDependency });
  });
});
