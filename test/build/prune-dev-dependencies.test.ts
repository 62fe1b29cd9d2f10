// A TypeScript Fastify API (build: tsc, start: node dist/index.js) from a git server on loopback:
// its artifact goes without devDependencies (no typescript) and still answers; the next build
// still compiles (the dependency cache kept them) and dedupes with the first; a start command that
// uses a devDependency keeps them, as does built code that loads one, and the app's
// NPM_CONFIG_PRODUCTION=false.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { artifactHex } from '../../src/domain/build.js';
import { buildLog, createApp, deploy, edgeJson, fixturesDir, useGitAndBerth, waitForDeployment, ws } from './support.js';

const pruneLine = '[prune] Pruning devDependencies (@types/node, typescript): the start command `node dist/index.js` needs none of them';
const source = fs.readFileSync(path.join(fixturesDir, 'ts-api', 'src', 'index.ts'), 'utf8');

/** `(N files, M bytes)` of the deployment's `[artifact]` line. */
function artifactBytes(log: string[]): number {
  const line = log.find((l) => l.startsWith('[artifact]')) ?? '';
  return Number(/, (\d+) bytes\)$/.exec(line)?.[1] ?? NaN);
}

describe('devDependencies of a TypeScript API', () => {
  const ctx = useGitAndBerth();

  it('prunes them after tsc, still compiles warm, keeps them when the start needs one or the app opts out', { timeout: 480_000 }, async () => {
    const { t, git } = ctx;
    const repo = git.createRepo('ts-api', path.join(fixturesDir, 'ts-api'));
    const appId = await createApp(t, { name: 'TS API', slug: 'ts-api', gitRepoUrl: repo.url });
    const artifactDir = (imageRef: string) => path.join(t.dataDir, 'builds', 'artifacts', artifactHex(imageRef) ?? 'none');

    const cold = await waitForDeployment(t, (await deploy(t, { appId })).id);
    expect(cold.error).toBeNull();
    const coldLog = await buildLog(t, cold.id);
    expect(coldLog).toContain(pruneLine);
    expect(coldLog).toContain('[build] $ npm prune --omit=dev --no-audit --no-fund');
    expect(coldLog.some((l) => l.startsWith('[cache] saved dependencies for the next build'))).toBe(true);
    expect(await edgeJson(t, 'ts-api')).toEqual({ message: 'hello from typescript', typescript: false, fastify: true });
    expect(fs.existsSync(path.join(artifactDir(cold.imageRef), 'node_modules', 'typescript'))).toBe(false);
    expect(fs.existsSync(path.join(artifactDir(cold.imageRef), 'node_modules', 'fastify', 'package.json'))).toBe(true);

    // Warm: the cache restores typescript, so tsc compiles the change; the artifact is pruned again.
    repo.commit('change the message', { 'src/index.ts': source.replace("'hello from typescript'", "'hello again'") });
    const warm = await waitForDeployment(t, (await deploy(t, { appId })).id);
    expect(warm.error).toBeNull();
    const warmLog = await buildLog(t, warm.id);
    expect(warmLog.some((l) => l.startsWith('[cache] dependencies unchanged'))).toBe(true);
    expect(warmLog).toContain('[build] $ npm run build');
    expect(warmLog).toContain(pruneLine);
    expect(await edgeJson(t, 'ts-api')).toEqual({ message: 'hello again', typescript: false, fastify: true });

    // The first source again, built warm: the same tree as the cold build, so the same artifact.
    repo.commit('back to the first message', { 'src/index.ts': source });
    const again = await waitForDeployment(t, (await deploy(t, { appId })).id);
    expect(await buildLog(t, again.id)).toContain(pruneLine);
    expect(again).toMatchObject({ status: 'succeeded', imageRef: cold.imageRef });

    // A start command that type-checks first needs typescript at run time.
    repo.commit('type-check at start', { Procfile: 'web: tsc --noEmit && node dist/index.js\n' });
    const checked = await waitForDeployment(t, (await deploy(t, { appId })).id);
    expect(checked.error).toBeNull();
    expect(await buildLog(t, checked.id)).toContain('[prune] Kept devDependencies: the start command runs `tsc --noEmit` (typescript is a devDependency)');
    expect(await edgeJson(t, 'ts-api')).toEqual({ message: 'hello from typescript', typescript: true, fastify: true });

    // The app's own code loading a devDependency when it runs keeps them too.
    repo.commit('load typescript at run time', {
      Procfile: null,
      'src/version.ts': "export const tsVersion = async (): Promise<string> => (await import('typescript')).version;\n",
      'src/index.ts': `import './version.js';\n${source}`,
    });
    const loads = await waitForDeployment(t, (await deploy(t, { appId })).id);
    expect(loads.error).toBeNull();
    expect(await buildLog(t, loads.id)).toContain('[prune] Kept devDependencies: dist/version.js loads typescript, a devDependency (list it in dependencies to let Berth prune the rest)');
    expect(await edgeJson(t, 'ts-api')).toEqual({ message: 'hello from typescript', typescript: true, fastify: true });

    // The app's own opt-out, as on Heroku.
    expect((await t.request('POST', ws(t, `/apps/${appId}/env-vars`), { body: { key: 'NPM_CONFIG_PRODUCTION', value: 'false' } })).status).toBe(201);
    repo.commit('start as before', { 'src/version.ts': null, 'src/index.ts': source });
    const optedOut = await waitForDeployment(t, (await deploy(t, { appId })).id);
    expect(optedOut.error).toBeNull();
    const optedOutLog = await buildLog(t, optedOut.id);
    expect(optedOutLog).toContain('[prune] Kept devDependencies: the app sets NPM_CONFIG_PRODUCTION=false');
    expect(await edgeJson(t, 'ts-api')).toEqual({ message: 'hello from typescript', typescript: true, fastify: true });
    // The same source and start as the cold build: what pruning saved.
    expect(artifactBytes(coldLog) * 2).toBeLessThan(artifactBytes(optedOutLog));
  });
});
