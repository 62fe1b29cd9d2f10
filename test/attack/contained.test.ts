// The attack suite: a hostile app runs under a real Berth (sandbox, cgroups and a network
// namespace, as CI has them) and tries to get out: the host's loopback services (a real
// PostgreSQL, Berth's API and /metrics), another app's port, Berth's data dir, another app's
// tree, fork, memory, cpu and disk hogs; from outside: a private app called around the edge,
// /metrics as a stranger, a gzip bomb upload, and SSRF through IPv6 literals and git redirects.
// It prints a table (attempt, contained) and asserts that nothing escaped.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gzipBomb, sha256 } from '../build/tarballs.js';
import { artifactDir, helloApp } from '../support/app-fixtures.js';
import { startGitServer, type GitServer } from '../support/git-http-server.js';
import { edgeGet } from '../support/edge-get.js';
import { startTestBerth, type TestBerth } from '../support/test-berth.js';
import { machineSupport } from '../runtime/process-harness.js';
import { writeHostileApp } from './hostile-app.js';

const support = machineSupport();
const skip = [support.sandbox, support.cgroups].filter(Boolean).join('; ');

interface Attempt {
  attempt: string;
  contained: boolean;
  detail: string;
}

const rssMiB = () => Number(/^VmRSS:\s+(\d+) kB$/m.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) / 1024;
const uplinkAddress = () => /src (\S+)/.exec(execFileSync('ip', ['-4', '-o', 'route', 'get', '1.1.1.1'], { encoding: 'utf8' }))?.[1] ?? '127.0.0.1';


describe.skipIf(skip !== '')(`attack suite: a hostile app under Berth${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let t: TestBerth;
  let gitBerth: TestBerth;
  let git: GitServer;
  let redirector: http.Server;
  const results: Attempt[] = [];
  const record = (attempt: string, contained: boolean, detail: unknown) =>
    results.push({ attempt, contained, detail: typeof detail === 'string' ? detail : JSON.stringify(detail) });

  const ws = (berth: TestBerth, rest: string) => `/api/v1/workspaces/${berth.workspaceId}${rest}`;
  const createApp = async (berth: TestBerth, body: Record<string, unknown>) => {
    const res = await berth.request<{ id: string }>('POST', ws(berth, '/apps'), { body });
    if (res.status !== 201) throw new Error(`create app: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id;
  };
  const hostile = async (urlPath: string): Promise<any> => {
    const res = await edgeGet(t.berth.edgePort, 'hostile.localhost', urlPath);
    if (res.status !== 200) throw new Error(`hostile app ${urlPath}: HTTP ${res.status} ${res.body.slice(0, 300)}`);
    return JSON.parse(res.body);
  };

  beforeAll(async () => {
    t = await startTestBerth('sqlite', { env: { BERTH_READY_TIMEOUT_MS: '30000', BERTH_MAX_EXTRACTED_MB: '256' } });
    git = await startGitServer();
    git.createRepo('target', { 'index.html': '<p>behind a redirect</p>' });
    redirector = http.createServer((req, res) => {
      res.writeHead(302, { location: `${git.url}/target.git${(req.url ?? '/').replace(/^\/moved\.git/, '')}` });
      res.end();
    });
    await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
    gitBerth = await startTestBerth('sqlite', { env: { BERTH_ALLOW_PRIVATE_NETWORKS: '1', BERTH_ISOLATION: 'off' } });
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await gitBerth?.close();
    await git?.close();
    await new Promise<void>((resolve) => (redirector ? redirector.close(() => resolve()) : resolve()));
  });

  it('contains every attempt', { timeout: 600_000 }, async () => {
    expect(t.berth.runtime.isolation).toMatchObject({ sandbox: true, cgroups: true, networkNamespaces: true, diskLimits: true });
    const apiPort = t.berth.apiPort;
    const uplink = uplinkAddress();

    // A private victim, and the hostile app with small limits.
    const victimId = await createApp(t, { name: 'Victim', slug: 'victim', visibility: 'private' });
    const victim = await t.berth.core.deployArtifact({ appId: victimId, artifactDir: helloApp('secret'), command: ['/usr/bin/node', 'server.js'], imageRef: 'dir:victim', triggerType: 'MANUAL' });
    expect(victim.deployment.status).toBe('succeeded');
    const hostileId = await createApp(t, { name: 'Hostile', slug: 'hostile', visibility: 'public', memoryLimitMi: 128, cpuLimitMillicores: 250, diskLimitMi: 64 });
    const deployed = await t.berth.core.deployArtifact({ appId: hostileId, artifactDir: writeHostileApp(artifactDir()), command: ['/usr/bin/node', 'server.js'], imageRef: 'dir:hostile', triggerType: 'MANUAL' });
    expect(deployed.deployment.status).toBe('succeeded');
    const victimInstance = (await t.berth.runtime.list()).find((i) => i.appId === victimId && i.phase === 'running');
    const victimAddress = victimInstance?.address ?? { host: '127.0.0.1', port: 1 };
    const victimTree = victimInstance ? (await t.berth.store.revisions.find(victimId, victimInstance.revisionName))?.artifactDir ?? '' : '';

    // From inside the hostile app: the network.
    const connect = async (what: string, host: string, port: number) => {
      const r = await hostile(`/connect?host=${encodeURIComponent(host)}&port=${port}`);
      record(`app → ${what} (${host}:${port})`, r.ok === false, r);
    };
    await connect("host's PostgreSQL on loopback", '127.0.0.1', 5432);
    await connect("host's PostgreSQL via the host's address", uplink, 5432);
    await connect("Berth's API on loopback", '127.0.0.1', apiPort);
    await connect("Berth's API via the host's address", uplink, apiPort);
    await connect("another app's port, directly", victimAddress.host, victimAddress.port);
    await connect('cloud metadata', '169.254.169.254', 80);
    const metrics = await hostile(`/get?url=${encodeURIComponent(`http://127.0.0.1:${apiPort}/metrics`)}`);
    record("app → Berth's /metrics", metrics.ok === false, metrics);

    // From inside: files.
    for (const file of ['admin-key', 'secret-key', 'berth.db']) {
      const r = await hostile(`/read?path=${encodeURIComponent(path.join(t.dataDir, file))}`);
      record(`app → Berth's data dir (${file})`, r.ok === false, r);
    }
    const tree = await hostile(`/read?path=${encodeURIComponent(path.join(victimTree, 'server.js'))}`);
    record("app → another app's tree", victimTree !== '' && tree.ok === false, tree);

    // From inside: exhausting the machine.
    const forks = await hostile('/fork?n=2000');
    const apiAfterForks = await t.request('GET', '/api/v1/api-keys/whoami');
    record('app → fork bomb (2000 processes)', forks.started <= 520 && apiAfterForks.status === 200, forks);
    const memory = await hostile('/mem?mb=1024');
    record('app → memory hog (1 GiB, limit 128 MiB)', memory.heldAll === false && memory.signal === 'SIGKILL', memory);
    const cpu = await hostile('/cpu?ms=3000');
    record('app → cpu hog (3 s, limit 250 millicores)', cpu.cores <= 0.4, cpu);
    const statfs = fs.statfsSync(t.dataDir);
    const freeBefore = statfs.bavail * statfs.bsize;
    const disk = await hostile('/disk?mb=1024');
    const after = fs.statfsSync(t.dataDir);
    record('app → disk hog (1 GiB, limit 64 MiB)', disk.ok === false && disk.code === 'ENOSPC' && disk.written <= 64, { ...disk, freeDropMiB: Math.round((freeBefore - after.bavail * after.bsize) / 2 ** 20) });

    // From outside: around the edge.
    const viaEdge = await edgeGet(t.berth.edgePort, 'victim.localhost', '/');
    record('local caller → private app through the edge, no key', viaEdge.status === 401, `HTTP ${viaEdge.status}`);
    const script = `require('net').connect(${victimAddress.port}, '${victimAddress.host}').on('connect', () => process.exit(0)).on('error', () => process.exit(3)).setTimeout(2000, () => process.exit(4));`;
    let direct = 'refused';
    try {
      execFileSync('/usr/bin/setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '/usr/bin/node', '-e', script], { stdio: 'ignore' });
      direct = 'connected';
    } catch {
      direct = 'refused';
    }
    record("local non-root caller → private app's port, around the edge", direct === 'refused', direct);
    const scrape = await (await fetch(`${t.url}/metrics`)).text();
    record('stranger → /metrics shows no tenant data', !/app_id=|workspace_id=|berth_app_/.test(scrape), `${scrape.length} bytes`);

    // From outside: a gzip bomb upload.
    const bomb = gzipBomb(64, 32);
    const init = (await t.request('POST', ws(t, `/apps/${hostileId}/uploads/init`), { body: { sizeBytes: bomb.length, sha256: sha256(bomb) } })).body;
    await fetch(init.presignedPutUrl, { method: 'PUT', body: bomb, headers: init.headers });
    await t.request('POST', ws(t, `/apps/${hostileId}/uploads/${init.uploadId}/complete`), { body: { sha256: sha256(bomb) } });
    const rssBefore = rssMiB();
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssMiB())), 5);
    let bombed: any = (await t.request('POST', ws(t, '/deploy'), { body: { appId: hostileId, source: { type: 'UPLOAD', uploadId: init.uploadId } } })).body;
    for (let i = 0; i < 1200 && !['succeeded', 'failed', 'cancelled'].includes(bombed.status); i++) {
      await new Promise((r) => setTimeout(r, 50));
      bombed = (await t.request('GET', ws(t, `/deploy/${bombed.id}`))).body;
    }
    clearInterval(sampler);
    record('upload → gzip bomb (2 GiB in 2 MB)', bombed.status === 'failed' && rssPeak - rssBefore < 64, { status: bombed.status, rssGrowthMiB: Math.round(rssPeak - rssBefore) });

    // From outside: SSRF through the git source.
    for (const url of ['https://[::ffff:127.0.0.1]/x.git', 'https://[::127.0.0.1]/x.git', 'https://[64:ff9b::7f00:1]/x.git', 'https://[2002:7f00:1::]/x.git', 'https://[::ffff:169.254.169.254]/x.git']) {
      const appId = await createApp(t, { name: 'ssrf', slug: `ssrf-${results.length}`, gitRepoUrl: url });
      const res = await t.request('POST', ws(t, '/deploy'), { body: { appId } });
      record(`git source → ${url}`, res.status === 400, `HTTP ${res.status}`);
    }
    const redirectUrl = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}/moved.git`;
    const redirectApp = await createApp(gitBerth, { name: 'redirect', slug: 'redirect', gitRepoUrl: redirectUrl });
    let redirected: any = (await gitBerth.request('POST', ws(gitBerth, '/deploy'), { body: { appId: redirectApp } })).body;
    for (let i = 0; i < 600 && !['succeeded', 'failed', 'cancelled'].includes(redirected.status); i++) {
      await new Promise((r) => setTimeout(r, 100));
      redirected = (await gitBerth.request('GET', ws(gitBerth, `/deploy/${redirected.id}`))).body;
    }
    record('git source → an HTTP redirect elsewhere', redirected.status === 'failed', { status: redirected.status, error: redirected.error });

    // The hostile app is still there: every attempt was answered, none crashed Berth.
    expect((await hostile('/')).hostile).toBe(true);

    const width = Math.max(...results.map((r) => r.attempt.length));
    const lines = results.map((r) => `${r.attempt.padEnd(width)}  ${r.contained ? 'contained' : 'ESCAPED  '}  ${r.detail.slice(0, 100)}`);
    const escaped = results.filter((r) => !r.contained);
    process.stdout.write(
      `\n${'attempt'.padEnd(width)}  result\n${lines.join('\n')}\n\nattempts ${results.length}, contained ${results.length - escaped.length}, escaped ${escaped.length}\n`,
    );
    expect(escaped).toEqual([]);
  });
});
