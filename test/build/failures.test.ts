// Deployments that must fail without taking the app down: a failing build, a failing release
// command, a revision that never becomes ready, an undetectable repository, a Dockerfile and an
// image without a container engine. Each says why, and the previous revision keeps serving.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitServer } from '../support/git-http-server.js';
import type { GitRepo, GitServer } from '../support/git-http-server.js';
import type { TestBerth } from '../support/test-berth.js';
import { buildLog, createApp, deploy, edgeJson, startBuildBerth, waitForDeployment, ws } from './support.js';

const server = (text: string) => `require('node:http').createServer((q, s) => {
  const fs = require('node:fs');
  const released = fs.existsSync('released.txt') ? fs.readFileSync('released.txt', 'utf8').trim() : null;
  s.setHeader('content-type', 'application/json');
  s.end(JSON.stringify({ text: ${JSON.stringify(text)}, revision: process.env.BERTH_REVISION, released }));
}).listen(Number(process.env.PORT));
`;

describe('failing deployments', () => {
  let t: TestBerth;
  let git: GitServer;
  let repo: GitRepo;
  let appId: string;

  beforeAll(async () => {
    git = await startGitServer();
    repo = git.createRepo('steady', { Procfile: 'web: node server.js\n', 'server.js': server('one') });
    t = await startBuildBerth({ BERTH_READY_TIMEOUT_MS: '8000' });
    appId = await createApp(t, { name: 'Steady', slug: 'steady', gitRepoUrl: repo.url });
    const first = await waitForDeployment(t, (await deploy(t, { appId })).id);
    expect(first).toMatchObject({ status: 'succeeded', buildpack: 'procfile' });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await git?.close();
  });

  const stillServesOne = async () => expect(await edgeJson(t, 'steady')).toMatchObject({ text: 'one', revision: 'steady-00001' });

  it('a failing build fails the deployment, the log says why, and the old revision serves', { timeout: 120_000 }, async () => {
    repo.commit('break the build', {
      'package.json': JSON.stringify({ name: 'steady', scripts: { build: "node -e \"console.error('the compiler is broken'); process.exit(3)\"" } }),
    });
    const done = await waitForDeployment(t, (await deploy(t, { appId })).id);
    expect(done.status).toBe('failed');
    expect(done.error).toMatch(/^Build failed: npm run build exited with \d+: .*the compiler is broken/);
    const log = await buildLog(t, done.id);
    expect(log).toContain('the compiler is broken');
    expect(log.at(-1)).toBe(`[deploy] ${done.error}`);
    await stillServesOne();
    repo.commit('fix the build', { 'package.json': null });
  });

  it('a failing release command fails the deployment before traffic moves', { timeout: 120_000 }, async () => {
    expect((await t.request('PATCH', ws(t, `/apps/${appId}`), { body: { releaseCommand: 'echo migrating; exit 4' } })).status).toBe(200);
    const done = await waitForDeployment(t, (await deploy(t, { appId })).id);
    expect(done).toMatchObject({ status: 'failed', error: 'the release command failed (exit 4)', revisionName: null });
    const log = await buildLog(t, done.id);
    expect(log).toContain('migrating');
    await stillServesOne();
  });

  it('a release command runs once in the new artifact with the new env, and again on rollback', { timeout: 120_000 }, async () => {
    await t.request('POST', ws(t, `/apps/${appId}/env-vars`), { body: { key: 'STAMP', value: 'v2' } });
    await t.request('PATCH', ws(t, `/apps/${appId}`), { body: { releaseCommand: 'echo "release $STAMP" > released.txt' } });
    repo.commit('two', { 'server.js': server('two') });
    const done = await waitForDeployment(t, (await deploy(t, { appId })).id);
    expect(done.status).toBe('succeeded');
    expect(await edgeJson(t, 'steady')).toMatchObject({ text: 'two', released: 'release v2' });
    const list = (await t.request('GET', ws(t, `/deploy?appId=${appId}&status=succeeded`))).body.data;
    const first = list.at(-1);
    const rollback = await waitForDeployment(t, (await t.request('POST', ws(t, `/deploy/${first.id}/rollback`))).body.id);
    expect(rollback.status).toBe('succeeded');
    expect((await buildLog(t, rollback.id)).some((l) => l.startsWith('[release] $ echo'))).toBe(true);
    expect(await edgeJson(t, 'steady')).toMatchObject({ text: 'one', released: 'release v2' });
    await t.request('PATCH', ws(t, `/apps/${appId}`), { body: { releaseCommand: null } });
    // Back to the first artifact for the next tests.
    await t.request('POST', ws(t, `/deploy/revisions/steady-00001/promote`));
  });

  it('a revision that never becomes ready fails the deployment and gets no traffic', { timeout: 120_000 }, async () => {
    repo.commit('never listens', { 'server.js': 'setInterval(() => {}, 1000);\n' });
    const done = await waitForDeployment(t, (await deploy(t, { appId })).id);
    expect(done.status).toBe('failed');
    expect(done.error).toMatch(/did not become ready/);
    await stillServesOne();
    repo.commit('listens again', { 'server.js': server('one') });
  });

  it('an undetectable repository fails with what Berth looked for', { timeout: 60_000 }, async () => {
    const bare = git.createRepo('nothing', { 'README.md': '# nothing to run\n' });
    const id = await createApp(t, { name: 'Nothing', slug: 'nothing', gitRepoUrl: bare.url });
    const done = await waitForDeployment(t, (await deploy(t, { appId: id })).id);
    expect(done.status).toBe('failed');
    expect(done.error).toContain('Berth looked for: a Procfile with a web: line; package.json');
    expect((await buildLog(t, done.id)).some((l) => l.includes('requirements.txt or pyproject.toml'))).toBe(true);
  });

  it('a Dockerfile build and an image without an engine say how to enable one', { timeout: 60_000 }, async () => {
    const docker = git.createRepo('docker', { Dockerfile: 'FROM debian\n', 'index.html': '<p>hi</p>' });
    const id = await createApp(t, { name: 'Docker', slug: 'docker', gitRepoUrl: docker.url, dockerfilePath: 'Dockerfile' });
    const done = await waitForDeployment(t, (await deploy(t, { appId: id })).id);
    expect(done.status).toBe('failed');
    expect(done.error).toMatch(/container engine driver/);
    const image = await deploy(t, { appId: id, source: { type: 'IMAGE', imageRef: 'registry.example.com/org/app:1' } });
    expect(image).toMatchObject({ status: 'failed', imageRef: 'registry.example.com/org/app:1' });
    expect(image.error).toMatch(/need a container engine: start Berth with BERTH_RUNTIME=docker/);
    const only = git.createRepo('only-dockerfile', { Dockerfile: 'FROM debian\n', 'server.js': '' });
    const onlyId = await createApp(t, { name: 'Only Dockerfile', slug: 'only-dockerfile', gitRepoUrl: only.url });
    const onlyDone = await waitForDeployment(t, (await deploy(t, { appId: onlyId })).id);
    expect(onlyDone).toMatchObject({ status: 'failed', error: expect.stringMatching(/has a Dockerfile and no other build plan .* Start Berth with BERTH_RUNTIME=docker/) });
  });

  it('refuses bad input with 400', async () => {
    expect((await t.request('POST', ws(t, '/deploy'), { body: { appId, gitCommitSha: 'not-a-sha' } })).status).toBe(400);
    expect((await t.request('POST', ws(t, '/deploy'), { body: { appId, gitBranch: '--upload-pack=x' } })).status).toBe(400);
    const noRepo = await createApp(t, { name: 'Bare', slug: 'bare' });
    const res = await t.request('POST', ws(t, '/deploy'), { body: { appId: noRepo } });
    expect(res.status).toBe(400);
    expect(res.body.message).toEqual([expect.stringMatching(/^source\.uploadId is required for an UPLOAD source: .*no completed upload.*gitRepoUrl/)]);
    expect((await t.request('POST', ws(t, '/deploy'), { body: { appId: 'missing' } })).status).toBe(404);
  });
});

describe('git sources on private networks', () => {
  let t: TestBerth;
  beforeAll(async () => {
    t = await startBuildBerth({ BERTH_ALLOW_PRIVATE_NETWORKS: '0' });
  });
  afterAll(async () => t?.close());

  it('refuses loopback, private and link-local hosts, http:// and local paths with 400', async () => {
    expect((await t.request('POST', ws(t, '/apps'), { body: { name: 'L', slug: 'l', gitRepoUrl: 'http://127.0.0.1:9/x.git' } })).status).toBe(400);
    expect((await t.request('POST', ws(t, '/apps'), { body: { name: 'F', slug: 'f', gitRepoUrl: 'file:///etc' } })).status).toBe(400);
    for (const [slug, url] of [
      ['loop', 'https://127.0.0.1/org/repo.git'],
      ['priv', 'https://10.1.2.3/org/repo.git'],
      ['link', 'https://169.254.169.254/latest'],
      ['six', 'https://[::1]/org/repo.git'],
      ['name', 'https://localhost/org/repo.git'],
    ]) {
      const id = await createApp(t, { name: slug, slug, gitRepoUrl: url });
      const res = await t.request('POST', ws(t, '/deploy'), { body: { appId: id } });
      expect(res.status, url).toBe(400);
      expect(res.body.message).toEqual([expect.stringMatching(/loopback, private or link-local/)]);
    }
  });
});
