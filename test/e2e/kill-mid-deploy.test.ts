// Kill -9 of a real `berth start` process in the middle of a deployment, everything through its
// API: the app is created, uploaded and deployed by that process; a second deployment is still
// warming a revision when Berth is killed. Nothing Berth started outlives it, and the next start
// serves the app again within seconds and fails the interrupted deployment with the reason.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { apiClient, uploadSource } from './support/api-client.js';
import { killScope } from './support/berth-process.js';
import { edgeRequest, until } from './support/edge-client.js';
import { processAlive, recordedInstances } from './support/instance-records.js';
import { processesOfDir } from './support/proc-scan.js';

const serverOf = (text: string, warmupMs: number) => `const http = require('http');
const start = Date.now();
http.createServer((req, res) => {
  if (Date.now() - start < ${warmupMs}) { res.statusCode = 503; return res.end('warming'); }
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ text: ${JSON.stringify(text)}, revision: process.env.BERTH_REVISION }));
}).listen(Number(process.env.PORT));
`;

describe('kill -9 of Berth in the middle of a deployment', () => {
  const scope = killScope('k9a');
  const { dataDir } = scope;

  afterAll(() => scope.cleanup());

  it('leaves no orphan, serves again and fails the interrupted deployment', { timeout: 300_000 }, async () => {
    const env = await scope.processEnv();
    const edgePort = Number(env.BERTH_EDGE_PORT);
    const serves = () => until(() => edgeRequest(edgePort, 'phoenix2.localhost').catch(() => null), (r) => r?.status === 200, 60_000, 50);

    const first = await scope.start(env);
    const api = apiClient(first.apiUrl, fs.readFileSync(path.join(dataDir, 'admin-key'), 'utf8').trim());
    const wsId = (await api.call('GET', '/api-keys/whoami')).body.workspaceId as string;
    const deployment = async (id: string) => (await api.call('GET', `/workspaces/${wsId}/deploy/${id}`)).body;
    const app = await api.call('POST', `/workspaces/${wsId}/apps`, { name: 'Phoenix 2', slug: 'phoenix2', visibility: 'public' });
    expect(app.status).toBe(201);
    const appId = app.body.id as string;
    const deployUpload = async (uploadId: string) => {
      const res = await api.call('POST', `/workspaces/${wsId}/deploy`, { appId, source: { type: 'UPLOAD', uploadId } });
      expect(res.status).toBe(201);
      return res.body.id as string;
    };

    const good = await deployUpload(await uploadSource(api, wsId, appId, { Procfile: 'web: node server.js\n', 'server.js': serverOf('one', 0) }));
    const done = await until(() => deployment(good), (d) => ['succeeded', 'failed', 'cancelled'].includes(d.status), 240_000, 250);
    expect(done).toMatchObject({ status: 'succeeded', revisionName: 'phoenix2-00001' });
    expect((await serves())?.status).toBe(200);

    // A revision that stays unready for minutes: its deployment is mid-flight when Berth dies.
    const stuck = await deployUpload(await uploadSource(api, wsId, appId, { Procfile: 'web: node server.js\n', 'server.js': serverOf('two', 600_000) }));
    const warming = await until(
      async () => ({ deployment: await deployment(stuck), instances: recordedInstances(dataDir, appId) }),
      (s) => s.deployment.status === 'deploying' && s.instances.some((i) => i.revisionName === 'phoenix2-00002'),
      240_000,
      100,
    );
    expect(warming.deployment.status).toBe('deploying');
    const pids = [...processesOfDir(dataDir), ...warming.instances.map((i) => i.pid)];
    expect(warming.instances.map((i) => i.revisionName).sort()).toEqual(['phoenix2-00001', 'phoenix2-00002']);

    first.child.kill('SIGKILL');
    await first.exited;
    const survivors = await until(async () => [...new Set([...pids.filter(processAlive), ...processesOfDir(dataDir)])], (left) => left.length === 0, 10_000, 50);
    expect(survivors).toEqual([]);

    const restartAt = Date.now();
    const second = await scope.start(env);
    const listeningMs = Date.now() - restartAt;
    const answer = await serves();
    const servingMs = Date.now() - restartAt;
    process.stdout.write(`kill -9 mid-deploy: API up ${listeningMs} ms after the restart, app served through the edge after ${servingMs} ms\n`);
    expect(JSON.parse(answer?.body ?? '{}')).toMatchObject({ text: 'one', revision: 'phoenix2-00001' });
    // How soon is printed, not asserted: under load (CI beside other suites) the start alone took 30 s.

    const api2 = apiClient(second.apiUrl, fs.readFileSync(path.join(dataDir, 'admin-key'), 'utf8').trim());
    const interrupted = (await api2.call('GET', `/workspaces/${wsId}/deploy/${stuck}`)).body;
    expect(interrupted.status).toBe('failed');
    expect(interrupted.error).toMatch(/restart/i);
    const list = (await api2.call('GET', `/workspaces/${wsId}/deploy?appId=${appId}`)).body;
    expect(list.data.map((d: { status: string }) => d.status)).toEqual(['failed', 'succeeded']);
    const revisions = (await api2.call('GET', `/workspaces/${wsId}/deploy/apps/${appId}/revisions`)).body;
    expect(revisions.map((r: { revisionName: string; trafficPercent: number }) => [r.revisionName, r.trafficPercent])).toEqual([
      ['phoenix2-00002', 0],
      ['phoenix2-00001', 100],
    ]);

    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(processesOfDir(dataDir)).toEqual([]);
  });
});
