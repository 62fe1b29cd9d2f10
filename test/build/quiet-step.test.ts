// A build step that hangs without a word (a package manager waiting on a network it cannot reach)
// showed nothing in the deployment's log until its limit, 15 minutes by default. The log now
// says, every quarter of the limit (at most a minute), that the step has printed nothing for so
// long and is still running, and the failure says how long it had been silent.
import { describe, expect, it } from 'vitest';
import { buildLog, createApp, deploy, useGitAndBerth, waitForDeployment } from './support.js';

describe('a build step that goes quiet', () => {
  const env = useGitAndBerth({ BERTH_BUILD_TIMEOUT_MS: '20000' });

  it('is reported while it runs, and its timeout says how long it printed nothing', { timeout: 120_000 }, async () => {
    const { t, git } = env;
    const repo = git.createRepo('quiet', {
      'package.json': JSON.stringify({
        name: 'quiet',
        scripts: { build: "node -e \"console.log('compiling'); setTimeout(() => {}, 600000)\"", start: 'node server.js' },
      }),
      'package-lock.json': JSON.stringify({ name: 'quiet', lockfileVersion: 3, requires: true, packages: { '': { name: 'quiet' } } }),
      'server.js': "require('node:http').createServer((q, s) => s.end('ok')).listen(Number(process.env.PORT));\n",
    });
    const appId = await createApp(t, { name: 'Quiet', slug: 'quiet', gitRepoUrl: repo.url });
    const done = await waitForDeployment(t, (await deploy(t, { appId })).id, 90_000);
    expect(done.status).toBe('failed');
    expect(done.error).toMatch(/^Build failed: build did not finish within 20 s; it printed nothing for its last (1\d|20) s$/);
    const log = await buildLog(t, done.id);
    const compiling = log.indexOf('compiling');
    const notices = log.filter((line) => /^\[build\] build has printed nothing for \d+ s; still running \(limit 20 s\)$/.test(line));
    expect(compiling).toBeGreaterThan(-1);
    expect(notices.length).toBeGreaterThanOrEqual(2);
    expect(log.indexOf(notices[0] ?? '')).toBeGreaterThan(compiling);
  });
});
