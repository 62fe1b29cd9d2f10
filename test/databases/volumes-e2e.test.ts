// Persistent volumes and SQLITE databases end to end, through a real Berth, its edge and
// sandboxed instances: what an app writes survives redeploys, rollbacks and a restart of Berth,
// a full volume is the app's ENOSPC, an attached SQLITE database is a real file the app's
// sqlite3 reads back through DATABASE_URL, and purge removes the volume.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactDir } from '../support/app-fixtures.js';
import { startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';
import { edgeRequest, until } from '../e2e/support/edge-client.js';

/** An app that appends `?add=` to a file in its volume (or its SQLite database) and answers what it holds. */
function storageApp(version: string): string {
  const dir = artifactDir();
  fs.writeFileSync(
    path.join(dir, 'server.js'),
    `const fs = require('fs');
const { execFileSync } = require('child_process');
const file = '/data/notes.txt';
const db = (process.env.DATABASE_URL || '').replace(/^file:/, '');
function sqlite(sql) { return execFileSync('/usr/bin/sqlite3', [db, sql], { encoding: 'utf8' }).trim(); }
const server = require('http').createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  const out = { version: ${JSON.stringify(version)} };
  try {
    if (url.pathname === '/fill') { fs.writeFileSync('/data/big', Buffer.alloc(64 * 1024 * 1024)); out.filled = true; }
    if (url.searchParams.get('add')) fs.appendFileSync(file, url.searchParams.get('add') + '\\n');
    out.notes = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\\n').filter(Boolean) : [];
    if (db) {
      sqlite('create table if not exists rows (v text)');
      if (url.searchParams.get('row')) sqlite("insert into rows values ('" + url.searchParams.get('row').replace(/[^a-z0-9]/g, '') + "')");
      out.rows = sqlite('select v from rows order by rowid').split('\\n').filter(Boolean);
    }
  } catch (error) { out.error = error.code || String(error.message).slice(0, 200); }
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(out));
});
server.listen(Number(process.env.PORT));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`,
  );
  return dir;
}

describe('persistent volumes and SQLITE databases through a real Berth', () => {
  let t: TestBerth;
  const dataDir = fs.mkdtempSync('/tmp/berth-vol-');
  const ws = (p: string) => `/api/v1/workspaces/${t.workspaceId}${p}`;
  const ask = async (slug: string, query = '') => JSON.parse((await edgeRequest(t.berth.edgePort, `${slug}.localhost`, { path: `/${query}` })).body) as Record<string, unknown>;
  const deploy = async (appId: string, version: string) => {
    const result = await t.berth.core.deployArtifact({ appId, artifactDir: storageApp(version), command: ['/usr/bin/node', 'server.js'], imageRef: `dir:${version}`, triggerType: 'MANUAL' });
    expect(result.deployment.status, result.deployment.error ?? '').toBe('succeeded');
    return result;
  };

  beforeAll(async () => {
    t = await startTestBerth('sqlite', { dataDir });
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps what the app writes across redeploys, rollbacks and a restart of Berth, bounded by its size', { timeout: 120_000 }, async (ctx) => {
    if (!t.berth.runtime.isolation.sandbox) return ctx.skip();
    const app = (await t.request('POST', ws('/apps'), { body: { name: 'Keeper', slug: 'keeper', visibility: 'public', maxReplicas: 2 } })).body;
    const volume = await t.request('POST', ws(`/apps/${app.id}/volumes`), { body: { name: 'data', mountPath: '/data', sizeMi: 32 } });
    expect(volume.status, JSON.stringify(volume.body)).toBe(201);
    expect((await t.request('POST', ws(`/apps/${app.id}/volumes`), { body: { name: 'other', mountPath: '/data/sub', sizeMi: 32 } })).status).toBe(409);
    expect((await t.request('POST', ws(`/apps/${app.id}/volumes`), { body: { name: 'bad', mountPath: '/etc/x', sizeMi: 32 } })).status).toBe(400);
    expect((await t.request('GET', ws(`/apps/${app.id}/volumes`))).body).toEqual([volume.body]);

    const one = await deploy(app.id, 'one');
    expect(await ask('keeper', '?add=first')).toMatchObject({ version: 'one', notes: ['first'] });
    await deploy(app.id, 'two');
    expect(await ask('keeper', '?add=second')).toMatchObject({ version: 'two', notes: ['first', 'second'] });
    const rollback = await t.request('POST', ws(`/deploy/apps/${app.id}/traffic`), { body: { splits: [{ revisionName: one.revision!.name, percent: 100 }] } });
    expect(rollback.status, JSON.stringify(rollback.body)).toBe(200);
    expect(await ask('keeper', '?add=third')).toMatchObject({ version: 'one', notes: ['first', 'second', 'third'] });
    // Bounded: 64 MiB do not fit in 32.
    if (t.berth.runtime.isolation.diskLimits) expect(await ask('keeper', 'fill')).toMatchObject({ error: 'ENOSPC' });

    await t.close();
    t = await startTestBerth('sqlite', { dataDir });
    // The reconciler brings the app back after the restart; until then the edge has no instance.
    await until(() => edgeRequest(t.berth.edgePort, 'keeper.localhost'), (res) => res.status === 200, 30_000);
    const after = await ask('keeper');
    expect(after).toMatchObject({ notes: ['first', 'second', 'third'] });

    expect((await t.request('DELETE', ws(`/apps/${app.id}/permanent`))).status).toBe(204);
    expect(fs.existsSync(path.join(dataDir, 'volumes', volume.body.id))).toBe(false);
  });

  it('mounts an attached SQLITE database where DATABASE_URL says, one replica, data kept after a detach', async (ctx) => {
    if (!t.berth.runtime.isolation.sandbox) return ctx.skip();
    const app = (await t.request('POST', ws('/apps'), { body: { name: 'Lite', slug: 'lite', visibility: 'public', maxReplicas: 3 } })).body;
    const db = (await t.request('POST', ws('/databases'), { body: { name: 'Lite DB', slug: 'lite-db', engine: 'SQLITE' } })).body;
    expect(db.status).toBe('RUNNING');
    expect((await t.request('POST', ws(`/databases/${db.id}/attachments`), { body: { appId: app.id, mountPath: '/srv/db' } })).status).toBe(201);
    expect((await t.request('PATCH', ws(`/apps/${app.id}`), { body: { maxReplicas: 3 } })).status).toBe(400);
    expect((await t.request('POST', ws('/deploy/scale'), { body: { appId: app.id, replicas: 2 } })).status).toBe(400);
    await deploy(app.id, 'one');
    expect(await ask('lite', '?row=alpha')).toMatchObject({ rows: ['alpha'] });
    await deploy(app.id, 'two');
    expect(await ask('lite', '?row=beta')).toMatchObject({ version: 'two', rows: ['alpha', 'beta'] });

    expect((await t.request('DELETE', ws(`/databases/${db.id}/attachments/${app.id}`))).status).toBe(204);
    await deploy(app.id, 'three');
    expect(await ask('lite')).not.toHaveProperty('rows');
    expect((await t.request('POST', ws(`/databases/${db.id}/attachments`), { body: { appId: app.id, mountPath: '/srv/db' } })).status).toBe(201);
    await deploy(app.id, 'four');
    expect(await ask('lite')).toMatchObject({ version: 'four', rows: ['alpha', 'beta'] });
  });
});
