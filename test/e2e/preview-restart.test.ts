// Preview sessions and Berth's own life, with a real `berth start` process: a kill -9 leaves no
// dev server behind once Berth is back, and the session says it was stopped by the restart; a
// clean stop stops every session (its row says so) and leaves no process or tree.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createStore } from '../../src/store/create-store.js';
import { openStore } from '../../src/store/open-store.js';
import { createSecretBox, loadSecretKey } from '../../src/store/secret-box.js';
import { appWithFiles } from '../support/preview-project.js';
import { killScope } from './support/berth-process.js';
import { until } from './support/edge-client.js';
import { processesOfDir } from './support/proc-scan.js';

const tree = {
  'package.json': JSON.stringify({ scripts: { dev: 'node server.mjs' } }),
  'server.mjs': "import { createServer } from 'node:http';\ncreateServer((q, s) => s.end('up')).listen(Number(process.env.PORT), '0.0.0.0');\n",
};

async function storedSession(dataDir: string, id: string) {
  const opened = await openStore({ databaseUrl: null, sqlitePath: path.join(dataDir, 'berth.db') });
  try {
    return await createStore(opened.db, createSecretBox(loadSecretKey(null, dataDir))).previewSessions.byId(id);
  } finally {
    await opened.close();
  }
}

describe('preview sessions across a kill -9 and a clean stop of Berth', () => {
  const scope = killScope('pv');
  const trees = path.join(scope.dataDir, 'previews', 'trees');
  afterAll(() => scope.cleanup());

  it('leaves no dev server behind and says why each session stopped', { timeout: 180_000 }, async () => {
    const env = await scope.processEnv();
    let berth = await scope.start(env);
    const key = fs.readFileSync(path.join(scope.dataDir, 'admin-key'), 'utf8').trim();
    const request = async (method: string, urlPath: string, options: { body?: unknown } = {}) => {
      const response = await fetch(berth.apiUrl + urlPath, {
        method,
        headers: { authorization: `Bearer ${key}`, ...(options.body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
      });
      return { status: response.status, body: (await response.json()) as any };
    };
    const readySession = async (versionId: string) => {
      const started = await request('POST', '/api/app-preview-sessions', { body: { appVersionId: versionId } });
      expect(started.status).toBe(201);
      const ready = await until(() => request('GET', `/api/apps/preview/${started.body.id}`), (r) => r.body.status === 'ready' || r.body.status === 'failed', 60_000, 100);
      expect(ready.body, JSON.stringify(ready.body)).toMatchObject({ status: 'ready' });
      expect(processesOfDir(trees).length).toBeGreaterThan(0);
      return started.body.id as string;
    };

    const { versionId } = await appWithFiles(request, 'Restarted', tree);
    const killed = await readySession(versionId);
    berth.child.kill('SIGKILL');
    await berth.exited;

    berth = await scope.start(env);
    expect(await until(async () => processesOfDir(trees), (left) => left.length === 0, 10_000, 50)).toEqual([]);
    expect(await until(async () => fs.readdirSync(trees), (left) => left.length === 0, 10_000, 50)).toEqual([]);
    expect((await request('GET', `/api/apps/preview/${killed}`)).body).toMatchObject({ status: 'stopped', stoppedAt: expect.any(String), error: 'Stopped: Berth restarted while this preview ran' });

    const stopped = await readySession(versionId);
    expect(stopped).not.toBe(killed);
    berth.child.kill('SIGTERM');
    expect(await berth.exited).toBe(0);
    expect(processesOfDir(trees)).toEqual([]);
    expect(fs.readdirSync(trees)).toEqual([]);
    expect(await storedSession(scope.dataDir, stopped)).toMatchObject({ status: 'stopped', error: 'Stopped: Berth stopped' });
  });
});
