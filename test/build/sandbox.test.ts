// Builds run sandboxed like instances: their own uid, a cleared environment with the app's env
// vars, no view of Berth's store or keys (the tree's parents exist only as empty skeletons) or the host's home, and a read-only /usr.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitServer } from '../support/git-http-server.js';
import type { GitServer } from '../support/git-http-server.js';
import type { TestBerth } from '../support/test-berth.js';
import { buildLog, createApp, deploy, startBuildBerth, waitForDeployment, ws } from './support.js';

describe('sandboxed builds', () => {
  let t: TestBerth;
  let git: GitServer;
  beforeAll(async () => {
    git = await startGitServer();
    t = await startBuildBerth();
  });
  afterAll(async () => {
    await t?.close();
    await git?.close();
  });

  it('see only their own tree, as their own uid, with the app env', { timeout: 120_000 }, async () => {
    if (!t.berth.runtime.isolation.sandbox) return; // no bubblewrap here: nothing to check
    const probe = `const fs = require('fs'); const w = (p) => { try { fs.writeFileSync(p, 'x'); return 'writable'; } catch (e) { return e.code; } };
console.log(JSON.stringify({ uid: process.getuid(), dataDir: fs.existsSync(process.argv[1] + '/berth.db') || fs.existsSync(process.argv[1] + '/secret-key'), root: fs.existsSync('/root'), usr: w('/usr/pwned'), here: w('built.txt'), secret: process.env.BUILD_SECRET ?? null, key: process.env.BERTH_SECRET_KEY ?? null }));`;
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
  });
});
