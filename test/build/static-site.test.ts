// Static sites: a Vite single-page app whose build emits files (served by Berth's own static
// server, client routes falling back to index.html), the same app when its start script runs
// Vite's development server, and a plain site of HTML files.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildLog, createApp, deploy, fixturesDir, viaEdge, waitForDeployment, useGitAndBerth } from './support.js';

describe('static sites', () => {
  const ctx = useGitAndBerth();

  it('builds a Vite app and serves its output, with client routes falling back to index.html', { timeout: 300_000 }, async () => {
    const { t, git } = ctx;
    const repo = git.createRepo('spa', path.join(fixturesDir, 'vite-site'));
    const appId = await createApp(t, { name: 'Spa', slug: 'spa', gitRepoUrl: repo.url });
    const done = await waitForDeployment(t, (await deploy(t, { appId })).id);
    expect(done.error).toBeNull();
    expect(done).toMatchObject({ status: 'succeeded', buildpack: 'static (node-npm)' });
    const log = await buildLog(t, done.id);
    expect(log).toContain('[plan] start: no server of its own; Berth serves the static files the build emits (dist, build, out or public)');
    expect(log).toContain('[build] serving the static files of dist/');
    const home = await viaEdge(t, 'spa', '/');
    expect(home.status).toBe(200);
    expect(home.body).toContain('Berth static fixture');
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(home.body)?.[1];
    expect(script).toBeDefined();
    const asset = await viaEdge(t, 'spa', script);
    expect(asset.status).toBe(200);
    expect(asset.body).toContain('Berth static fixture at');
    expect((await viaEdge(t, 'spa', '/settings/profile')).body).toBe(home.body);
    expect((await viaEdge(t, 'spa', '/missing.png')).status).toBe(404);
    // Paths never leave the site: this one is a client route like any other.
    expect((await viaEdge(t, 'spa', '/../../etc/passwd')).body).toBe(home.body);
    expect((await viaEdge(t, 'spa', '/%2e%2e/%2e%2e/etc/passwd')).body).not.toContain('root:');
  });

  it('serves the build output, not the development server, when start runs `vite`', { timeout: 300_000 }, async () => {
    const { t, git } = ctx;
    const fixture = path.join(fixturesDir, 'vite-site');
    const manifest = JSON.parse(fs.readFileSync(path.join(fixture, 'package.json'), 'utf8'));
    const files = {
      'package.json': JSON.stringify({ ...manifest, scripts: { start: 'vite', build: 'vite build' } }, null, 2),
      'package-lock.json': fs.readFileSync(path.join(fixture, 'package-lock.json')),
      'index.html': fs.readFileSync(path.join(fixture, 'index.html')),
      'src/main.js': fs.readFileSync(path.join(fixture, 'src/main.js')),
    };
    const repo = git.createRepo('vite-dev-start', files);
    const appId = await createApp(t, { name: 'Vite dev start', slug: 'vite-dev-start', gitRepoUrl: repo.url });
    const done = await waitForDeployment(t, (await deploy(t, { appId })).id);
    const log = await buildLog(t, done.id);
    expect(done.error, log.join('\n')).toBeNull();
    expect(done).toMatchObject({ status: 'succeeded', buildpack: 'static (node-npm)' });
    expect(log).toContain("[plan] start: vite is Vite's development server; Berth serves the static files the build emits (dist, build, out, public) instead");
    expect(log).toContain('[build] serving the static files of dist/');
    const home = await viaEdge(t, 'vite-dev-start', '/');
    expect(home.status).toBe(200);
    // The built page loads a hashed bundle; Vite's dev server would inject its client and load /src/main.js.
    expect(home.body).toMatch(/src="\/assets\/index-[\w-]+\.js"/);
    expect(home.body).not.toContain('/@vite/client');
    expect(home.body).not.toContain('/src/main.js');
    expect((await viaEdge(t, 'vite-dev-start', '/src/main.js')).status).toBe(404);
    expect((await viaEdge(t, 'vite-dev-start', '/orders/42')).body).toBe(home.body);
  });

  it('serves a plain HTML site as it is', { timeout: 120_000 }, async () => {
    const { t, git } = ctx;
    const repo = git.createRepo('plain', { 'index.html': '<h1>home</h1>', 'about/index.html': '<h1>about</h1>', 'style.css': 'h1 { color: red }', '.env': 'SECRET=abc' });
    const appId = await createApp(t, { name: 'Plain', slug: 'plain', gitRepoUrl: repo.url });
    const done = await waitForDeployment(t, (await deploy(t, { appId })).id);
    expect(done).toMatchObject({ status: 'succeeded', buildpack: 'static' });
    expect(await viaEdge(t, 'plain', '/')).toEqual({ status: 200, body: '<h1>home</h1>' });
    expect(await viaEdge(t, 'plain', '/about/')).toEqual({ status: 200, body: '<h1>about</h1>' });
    expect((await viaEdge(t, 'plain', '/style.css')).body).toBe('h1 { color: red }');
    expect((await viaEdge(t, 'plain', '/nope')).status).toBe(404);
    // The repository's dotfiles are part of the tree, never of the site.
    expect((await viaEdge(t, 'plain', '/.env')).status).toBe(404);
  });
});
