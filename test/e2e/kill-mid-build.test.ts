// Kill -9 of a real `berth start` process while a build runs, everything through its API: the
// build (and a background process it started) dies with Berth, the next start fails the
// interrupted deployment with the reason, removes the build's leftover cgroups, and builds again.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { apiClient, uploadSource } from './support/api-client.js';
import { killScope } from './support/berth-process.js';
import { edgeRequest, until } from './support/edge-client.js';
import { processAlive } from './support/instance-records.js';
import { processesOfDir } from './support/proc-scan.js';

const server = `require('node:http').createServer((q, s) => s.end('built after the restart')).listen(Number(process.env.PORT));\n`;
/** Starts a background sleeper, says so, then builds "forever". */
const slowBuild = `sleep 600 & node -e "console.log('building slowly'); setTimeout(() => {}, 600000)"`;

/** Pids in the build steps' cgroups, read from the host (empty where Berth has no cgroups). */
function buildCgroupPids(cgroupName: string): number[] {
  const root = `/sys/fs/cgroup/pids/${cgroupName}-builds`;
  const pids: number[] = [];
  for (const group of fs.existsSync(root) ? fs.readdirSync(root, { withFileTypes: true }) : []) {
    if (!group.isDirectory()) continue;
    pids.push(...fs.readFileSync(path.join(root, group.name, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean).map(Number));
  }
  return pids;
}

function buildCgroups(cgroupName: string): string[] {
  const root = `/sys/fs/cgroup/memory/${cgroupName}-builds`;
  return fs.existsSync(root) ? fs.readdirSync(root, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name) : [];
}

describe('kill -9 of Berth in the middle of a build', () => {
  const scope = killScope('k9b');
  const { dataDir, cgroupName } = scope;

  afterAll(() => scope.cleanup());

  it('leaves no build process, fails the interrupted deployment and builds again', { timeout: 300_000 }, async () => {
    const env = await scope.processEnv();
    const first = await scope.start(env);
    const api = apiClient(first.apiUrl, fs.readFileSync(path.join(dataDir, 'admin-key'), 'utf8').trim());
    const wsId = (await api.call('GET', '/api-keys/whoami')).body.workspaceId as string;
    const app = await api.call('POST', `/workspaces/${wsId}/apps`, { name: 'Rebuilt', slug: 'rebuilt', visibility: 'public' });
    expect(app.status).toBe(201);
    const appId = app.body.id as string;
    const deployFiles = async (a: typeof api, files: Record<string, string>) => {
      const uploadId = await uploadSource(a, wsId, appId, files);
      const res = await a.call('POST', `/workspaces/${wsId}/deploy`, { appId, source: { type: 'UPLOAD', uploadId } });
      expect(res.status).toBe(201);
      return res.body.id as string;
    };

    const building = await deployFiles(api, {
      Procfile: 'web: node server.js\n',
      'server.js': server,
      'package.json': JSON.stringify({ name: 'slow', scripts: { build: slowBuild } }),
    });
    await until(
      async () => (await api.call('GET', `/workspaces/${wsId}/deploy/${building}/logs`)).body.logs as string[],
      (lines) => lines.some((l) => l.includes('building slowly')),
      240_000,
      100,
    );
    expect((await api.call('GET', `/workspaces/${wsId}/deploy/${building}`)).body.status).toBe('building');
    const inCgroups = buildCgroupPids(cgroupName);
    const pids = [...new Set([...processesOfDir(dataDir), ...inCgroups])];
    expect(pids.length).toBeGreaterThan(0);

    first.child.kill('SIGKILL');
    await first.exited;
    const survivors = await until(async () => [...new Set([...pids.filter(processAlive), ...processesOfDir(dataDir)])], (left) => left.length === 0, 10_000, 50);
    expect(survivors).toEqual([]);
    // The killed Berth could not remove its build's cgroups: the next start must.
    if (inCgroups.length > 0) expect(buildCgroups(cgroupName).length).toBeGreaterThan(0);

    const second = await scope.start(env);
    expect(buildCgroups(cgroupName)).toEqual([]);
    const api2 = apiClient(second.apiUrl, fs.readFileSync(path.join(dataDir, 'admin-key'), 'utf8').trim());
    const interrupted = (await api2.call('GET', `/workspaces/${wsId}/deploy/${building}`)).body;
    expect(interrupted.status).toBe('failed');
    expect(interrupted.error).toMatch(/^Interrupted: Berth restarted/);

    const rebuilt = await deployFiles(api2, { Procfile: 'web: node server.js\n', 'server.js': server });
    const done = await until(() => api2.call('GET', `/workspaces/${wsId}/deploy/${rebuilt}`).then((r) => r.body), (d) => ['succeeded', 'failed', 'cancelled'].includes(d.status), 240_000, 250);
    expect(done).toMatchObject({ status: 'succeeded', revisionName: 'rebuilt-00001' });
    const answer = await until(() => edgeRequest(Number(env.BERTH_EDGE_PORT), 'rebuilt.localhost').catch(() => null), (r) => r?.status === 200, 30_000, 50);
    expect(answer?.body).toBe('built after the restart');

    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(processesOfDir(dataDir)).toEqual([]);
    expect(fs.existsSync(`/sys/fs/cgroup/memory/${cgroupName}-builds`)).toBe(false);
  });
});
