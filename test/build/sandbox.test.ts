// Builds run sandboxed like instances: their own uid, a cleared environment with the app's env
// vars, no view of Berth's store or keys (the tree's parents exist only as empty skeletons) or the host's home, and a read-only /usr.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { processesOfDir } from '../e2e/support/proc-scan.js';
import { buildLog, createApp, deploy, edgeJson, waitForDeployment, ws, useGitAndBerth } from './support.js';

describe('sandboxed builds', () => {
  const ctx = useGitAndBerth();

  it('see only their own tree, as their own uid, with the app env', { timeout: 120_000 }, async () => {
    const { t, git } = ctx;
    if (!t.berth.runtime.isolation.sandbox) return; // no bubblewrap here: nothing to check
    const probe = `const fs = require('fs'); const w = (p) => { try { fs.writeFileSync(p, 'x'); return 'writable'; } catch (e) { return e.code; } };
console.log(JSON.stringify({ uid: process.getuid(), dataDir: fs.existsSync(process.argv[1] + '/berth.db') || fs.existsSync(process.argv[1] + '/secret-key'), root: fs.existsSync('/root'), usr: w('/usr/pwned'), here: w('built.txt'), secret: process.env.BUILD_SECRET ?? null, key: process.env.BERTH_SECRET_KEY ?? null, ifaces: Object.keys(require('os').networkInterfaces()).sort() }));
require('net').connect(5432, '127.0.0.1').on('connect', () => console.log('host postgres: reached')).on('error', (e) => console.log('host postgres: ' + e.code));`;
    const repo = git.createRepo('probe', {
      Procfile: 'web: node server.js\n',
      'server.js': "require('node:http').createServer((q, s) => s.end('ok')).listen(Number(process.env.PORT));\n",
      'probe.js': probe,
      'package.json': JSON.stringify({ name: 'probe', scripts: { build: `node probe.js ${t.dataDir}` } }),
    });
    const appId = await createApp(t, { name: 'Probe', slug: 'probe', gitRepoUrl: repo.url });
    await t.request('POST', ws(t, `/apps/${appId}/env-vars`), { body: { key: 'BUILD_SECRET', value: 's3cret', isSecret: true } });
    const done = await waitForDeployment(t, (await deploy(t, { appId })).id);
    expect(done.status).toBe('succeeded');
    const line = (await buildLog(t, done.id)).find((l) => l.startsWith('{"uid"'));
    const seen = JSON.parse(line ?? '{}');
    expect(seen.uid).toBeGreaterThanOrEqual(2_000_000);
    expect(seen).toMatchObject({ dataDir: false, root: false, here: 'writable', secret: 's3cret', key: null });
    expect(['EROFS', 'EACCES']).toContain(seen.usr);
    if (t.berth.runtime.isolation.networkNamespaces) {
      // A namespace of its own: the host's PostgreSQL on 127.0.0.1:5432 is not there.
      expect(seen.ifaces).toEqual(['eth0', 'lo']);
      expect(await buildLog(t, done.id)).toContain('host postgres: ECONNREFUSED');
    }
  });
});

describe('revision trees', () => {
  const ctx = useGitAndBerth();
  // Answers what the app may do to its own tree: rewrite what it shipped, or add files of its own.
  const server = `const fs = require('fs');
const w = (p) => { try { fs.appendFileSync(p, '// changed by the app\\n'); return 'writable'; } catch (e) { return e.code; } };
require('node:http').createServer((q, s) => s.end(JSON.stringify({ shipped: w('server.js'), dependency: w('lib/dep.js'), added: w('added.txt') }))).listen(Number(process.env.PORT));
`;

  it('keep what was built read-only to the app, first build or reused artifact alike', { timeout: 180_000 }, async () => {
    const { t, git } = ctx;
    if (!t.berth.runtime.isolation.sandbox) return; // without bubblewrap apps run as root
    const files = { Procfile: 'web: node server.js\n', 'server.js': server, 'lib/dep.js': 'module.exports = 1;\n' };
    const expected = { shipped: 'EACCES', dependency: 'EACCES', added: 'writable' };
    const deployed = async (appId: string, slug: string) => {
      const done = await waitForDeployment(t, (await deploy(t, { appId })).id);
      expect(done.status).toBe('succeeded');
      expect(await edgeJson(t, slug)).toEqual(expected);
    };
    const first = await createApp(t, { name: 'Frozen', slug: 'frozen', gitRepoUrl: git.createRepo('frozen', files).url });
    await deployed(first, 'frozen'); // a new artifact
    await deployed(first, 'frozen'); // the same commit again: the stored artifact is reused
    const twin = await createApp(t, { name: 'Twin', slug: 'twin', gitRepoUrl: git.createRepo('twin', files).url });
    await deployed(twin, 'twin'); // another app, the same content: reused too
    const artifacts = path.join(t.dataDir, 'builds', 'artifacts');
    const [only, ...more] = fs.readdirSync(artifacts);
    expect(more).toEqual([]);
    expect(fs.readFileSync(path.join(artifacts, only ?? '', 'server.js'), 'utf8')).toBe(server);
  });
});

describe('build limits', () => {
  const ctx = useGitAndBerth({ BERTH_BUILD_MEMORY_MI: '256', BERTH_BUILD_PIDS: '64' });

  const buildOnly = (name: string, build: string) =>
    ctx.git.createRepo(name, {
      Procfile: 'web: node server.js\n',
      'server.js': "require('node:http').createServer((q, s) => s.end('ok')).listen(Number(process.env.PORT));\n",
      'package.json': JSON.stringify({ name, scripts: { build } }),
    });

  it('kill a build that allocates past its memory limit and say so', { timeout: 120_000 }, async () => {
    const { t } = ctx;
    if (!t.berth.runtime.isolation.cgroups) return; // no cgroups here: builds run unlimited
    const repo = buildOnly('hog', `node -e "const a = []; for (;;) a.push(Buffer.alloc(1 << 20, 1))"`);
    const appId = await createApp(t, { name: 'Hog', slug: 'hog', gitRepoUrl: repo.url, memoryLimitMi: 64 });
    const done = await waitForDeployment(t, (await deploy(t, { appId })).id);
    expect(done.status).toBe('failed');
    expect(done.error).toMatch(/build ran out of memory \(limit 256 MiB/);
  });

  it('cap the processes of a build and reap what it left running', { timeout: 120_000 }, async () => {
    const { t } = ctx;
    if (!t.berth.runtime.isolation.cgroups) return;
    const repo = buildOnly('forker', 'for i in $(seq 100); do sleep 300 & done; echo all started');
    const appId = await createApp(t, { name: 'Forker', slug: 'forker', gitRepoUrl: repo.url });
    const done = await waitForDeployment(t, (await deploy(t, { appId })).id);
    expect(done.status).toBe('failed');
    const lines = await buildLog(t, done.id);
    expect(lines.join('\n')).toMatch(/cannot fork/i);
    expect(lines).not.toContain('all started');
    expect(processesOfDir(t.dataDir)).toEqual([]);
  });
});
