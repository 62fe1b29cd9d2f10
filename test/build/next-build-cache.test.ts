// A Next.js app deployed twice: the second build, with an unchanged lockfile, restores the
// dependencies and the framework's own build cache (.next/cache) of the first, and the app still
// serves what the second commit says.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildLog, createApp, deploy, fixturesDir, viaEdge, waitForDeployment, useGitAndBerth } from './support.js';

describe('a Next.js app', () => {
  const ctx = useGitAndBerth();

  it('keeps its build cache from one build to the next', { timeout: 900_000 }, async () => {
    const { t, git } = ctx;
    const repo = git.createRepo('next-cache', path.join(fixturesDir, 'next-app'));
    const appId = await createApp(t, { name: 'Next cache', slug: 'next-cache', gitRepoUrl: repo.url });

    const first = await waitForDeployment(t, (await deploy(t, { appId })).id, 600_000);
    const firstLog = await buildLog(t, first.id);
    expect(first.error, firstLog.join('\n')).toBeNull();
    expect(first).toMatchObject({ status: 'succeeded', buildpack: 'node-npm' });
    expect(firstLog).toContain('[plan] build cache: .next/cache (Next.js), kept from one build to the next');
    expect(firstLog.some((line) => line.includes('build cache restored'))).toBe(false);
    expect(firstLog).toContain('[cache] kept the Next.js build cache for the next build (.next/cache)');
    // Next.js itself says when a CI build finds no cache (Berth's builds run with CI=true).
    expect(firstLog.some((line) => line.includes('No build cache found'))).toBe(true);
    expect((await viaEdge(t, 'next-cache')).body).toContain('Hello from Next.js');

    repo.commit('change the message', { 'app/message.js': "export const message = 'Hello again from Next.js';\n" });
    const second = await waitForDeployment(t, (await deploy(t, { appId })).id, 600_000);
    const secondLog = await buildLog(t, second.id);
    expect(second.error, secondLog.join('\n')).toBeNull();
    expect(secondLog.some((line) => line.startsWith('[cache] dependencies unchanged'))).toBe(true);
    expect(secondLog).toContain("[cache] Next.js build cache restored from the app's last build (.next/cache)");
    const restoredAt = secondLog.indexOf("[cache] Next.js build cache restored from the app's last build (.next/cache)");
    expect(restoredAt).toBeLessThan(secondLog.indexOf('[build] $ npm run build'));
    expect(secondLog.some((line) => line.includes('No build cache found'))).toBe(false);
    const home = await viaEdge(t, 'next-cache');
    expect(home.status).toBe(200);
    expect(home.body).toContain('Hello again from Next.js');

    // Builds ran at the app's one stage path and left nothing there; one cache is kept per app.
    const builder = path.join(t.dataDir, 'builds');
    expect(fs.existsSync(path.join(builder, 'stage', appId))).toBe(false);
    const kept = fs.readdirSync(path.join(builder, 'build-cache', appId));
    expect(kept).toHaveLength(1);
    expect(fs.existsSync(path.join(builder, 'build-cache', appId, kept[0] ?? '', '.next/cache/webpack'))).toBe(true);
  });
});
