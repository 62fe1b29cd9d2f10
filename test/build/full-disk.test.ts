// A full disk: a build that runs out of space fails and says so while the running revision keeps
// serving; with no space at all Berth refuses changes with a 507 and keeps answering reads; once
// space is freed, deploys work again and the failed one is on record. Berth's data dir is a small
// tmpfs of its own (mounting needs root: skipped elsewhere).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processesOfDir } from '../e2e/support/proc-scan.js';
import { startGitServer, type GitServer } from '../support/git-http-server.js';
import { mountSmallDisk, type SmallDisk } from '../support/small-disk.js';
import { startTestBerth, type TestBerth } from '../support/test-berth.js';
import { buildLog, createApp, deploy, viaEdge, waitForDeployment, ws } from './support.js';

const disk = mountSmallDisk(48);

describe.skipIf(disk === null)('a full disk', () => {
  const small = disk as SmallDisk;
  let t: TestBerth;
  let git: GitServer;

  beforeAll(async () => {
    git = await startGitServer();
    t = await startTestBerth('sqlite', { dataDir: path.join(small.dir, path.basename(small.dir)), env: { BERTH_ALLOW_PRIVATE_NETWORKS: '1' } });
  });
  afterAll(async () => {
    await t?.close();
    await git?.close();
    small.unmount();
  });

  // The build writes `size.txt` bytes of output: a build's own way of needing disk space.
  const files = (version: string, bytes: number) => ({
    Procfile: 'web: node server.js\n',
    'server.js': `require('node:http').createServer((q, s) => s.end('${version}')).listen(Number(process.env.PORT));\n`,
    'build.js': "const fs = require('fs'); fs.writeFileSync('out.bin', Buffer.alloc(Number(fs.readFileSync('size.txt', 'utf8'))));\n",
    'size.txt': String(bytes),
    'package.json': JSON.stringify({ name: 'disk', scripts: { build: 'node build.js' } }),
  });

  it('fails a build that runs out of space with that reason, refuses changes with 507 when nothing is left, and recovers', { timeout: 180_000 }, async () => {
    const repo = git.createRepo('disk', files('v1', 0));
    const appId = await createApp(t, { name: 'Disk', slug: 'disk', gitRepoUrl: repo.url });
    expect((await waitForDeployment(t, (await deploy(t, { appId })).id)).status).toBe('succeeded');
    expect(await viaEdge(t, 'disk')).toEqual({ status: 200, body: 'v1' });

    // A build whose output needs 8 MiB where 4 are left.
    repo.commit('v2', files('v2', 8 << 20));
    const filler = small.fill(4 << 20);
    const failed = await waitForDeployment(t, (await deploy(t, { appId })).id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/^Build failed: Berth's disk is full \(\d+ KiB left\): free some space and deploy again$/);
    expect((await buildLog(t, failed.id)).join('\n')).toMatch(/ENOSPC/);
    expect(await viaEdge(t, 'disk')).toEqual({ status: 200, body: 'v1' });
    expect(processesOfDir(path.join(t.dataDir, 'builds', 'work'))).toEqual([]);
    expect(fs.existsSync(path.join(t.dataDir, 'builds', 'work', failed.id))).toBe(false); // its space is back

    // Nothing left at all: changes are refused, clearly; reads and the app go on.
    const zero = small.fill(0);
    const refused = await t.request('POST', ws(t, '/deploy'), { body: { appId } });
    expect(refused.status).toBe(507);
    expect(refused.body).toEqual({ statusCode: 507, message: "Berth's disk is full, so this change could not be saved: free some space and try again", error: 'Insufficient Storage' });
    expect((await t.request('GET', ws(t, `/apps/${appId}`))).status).toBe(200);
    expect(await viaEdge(t, 'disk')).toEqual({ status: 200, body: 'v1' });

    fs.rmSync(zero);
    fs.rmSync(filler);
    repo.commit('v3', files('v3', 0));
    expect((await waitForDeployment(t, (await deploy(t, { appId })).id)).status).toBe('succeeded');
    expect(await viaEdge(t, 'disk')).toEqual({ status: 200, body: 'v3' });
    const list = await t.request('GET', ws(t, `/deploy?appId=${appId}`));
    expect(list.body.data.map((d: { status: string }) => d.status)).toEqual(['succeeded', 'failed', 'succeeded']);
  });
});
