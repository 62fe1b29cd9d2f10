// A POSTGRES database end to end: a real Berth, a server of the database's own, and a Node app
// using `pg` through the DATABASE_URL its attachment injected. Rows survive a redeploy, a rollback
// and a restart of Berth; an app that is not attached cannot reach the server; delete removes the
// data and the server's processes.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactDir } from '../support/app-fixtures.js';
import { startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';
import { edgeRequest, until } from '../e2e/support/edge-client.js';

const pgPackages = ['pg', 'pg-connection-string', 'pg-pool', 'pg-protocol', 'pg-types', 'pgpass', 'pg-int8', 'postgres-array', 'postgres-bytea', 'postgres-date', 'postgres-interval', 'split2', 'xtend'];

/** An app that inserts `?add=` into its database and answers every row (or why it could not). */
export function pgApp(version: string): string {
  const dir = artifactDir();
  for (const name of pgPackages) fs.cpSync(path.resolve('node_modules', name), path.join(dir, 'node_modules', name), { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'server.js'),
    `const { Client } = require('pg');
const url = process.env.DATABASE_URL || 'postgresql://app:guess@%2Fvar%2Frun%2Fpostgresql:5432/app';
require('http').createServer(async (req, res) => {
  const q = new URL(req.url, 'http://x').searchParams;
  const out = { version: ${JSON.stringify(version)}, attached: Boolean(process.env.DATABASE_URL) };
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('CREATE TABLE IF NOT EXISTS notes (id serial PRIMARY KEY, body text)');
    if (q.get('add')) await client.query('INSERT INTO notes (body) VALUES ($1)', [q.get('add')]);
    out.rows = (await client.query('SELECT body FROM notes ORDER BY id')).rows.map((r) => r.body);
  } catch (error) { out.error = error.code || error.message; }
  finally { await client.end().catch(() => {}); }
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(out));
}).listen(Number(process.env.PORT));
`,
  );
  return dir;
}

describe.runIf(process.getuid?.() === 0)('a POSTGRES database attached to an app, through a real Berth', () => {
  let t: TestBerth;
  const dataDir = fs.mkdtempSync('/tmp/berth-pg-');
  const ws = (p: string) => `/api/v1/workspaces/${t.workspaceId}${p}`;
  const ask = async (slug: string, query = '') => JSON.parse((await edgeRequest(t.berth.edgePort, `${slug}.localhost`, { path: `/${query}` })).body) as Record<string, unknown>;
  const deploy = async (appId: string, version: string) => {
    const result = await t.berth.core.deployArtifact({ appId, artifactDir: pgApp(version), command: ['/usr/bin/node', 'server.js'], imageRef: `dir:pg-${version}`, triggerType: 'MANUAL' });
    expect(result.deployment.status, result.deployment.error ?? '').toBe('succeeded');
    return result;
  };
  /** The database's server (its sandbox names its volume and runs the machine's binaries). */
  const serverPids = (dbId: string) =>
    fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
      try {
        const argv = fs.readFileSync(`/proc/${p}/cmdline`, 'utf8');
        return argv.includes(dbId) && argv.includes('/usr/lib/postgresql');
      } catch {
        return false;
      }
    });

  beforeAll(async () => {
    t = await startTestBerth('sqlite', { dataDir });
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps rows across redeploy, rollback and restart; only the attached app reaches it; delete removes it all', { timeout: 180_000 }, async (ctx) => {
    if (!t.berth.runtime.isolation.sandbox) return ctx.skip();
    const db = (await t.request('POST', ws('/databases'), { body: { name: 'Main', slug: 'main', engine: 'POSTGRES', storageGb: 1 } })).body;
    await until(() => t.request('GET', ws(`/databases/${db.id}`)), (r) => r.body.status !== 'PROVISIONING', 60_000);
    const app = (await t.request('POST', ws('/apps'), { body: { name: 'Writer', slug: 'writer', visibility: 'public' } })).body;
    const stranger = (await t.request('POST', ws('/apps'), { body: { name: 'Stranger', slug: 'stranger', visibility: 'public' } })).body;
    const attached = await t.request('POST', ws(`/databases/${db.id}/attachments`), { body: { appId: app.id } });
    expect(attached.status, JSON.stringify(attached.body)).toBe(201);
    expect(attached.body).toMatchObject({ secretName: 'DATABASE_URL', mountPath: '/var/run/postgresql' });

    const one = await deploy(app.id, 'one');
    expect(await ask('writer', '?add=first')).toMatchObject({ attached: true, rows: ['first'] });
    await deploy(app.id, 'two');
    expect(await ask('writer', '?add=second')).toMatchObject({ version: 'two', rows: ['first', 'second'] });
    await t.request('POST', ws(`/deploy/apps/${app.id}/traffic`), { body: { splits: [{ revisionName: one.revision!.name, percent: 100 }] } });
    expect(await ask('writer', '?add=third')).toMatchObject({ version: 'one', rows: ['first', 'second', 'third'] });

    await deploy(stranger.id, 'stranger');
    const refused = await ask('stranger', '?add=intruder');
    expect(refused).toMatchObject({ attached: false, error: 'ENOENT' });

    await t.close();
    t = await startTestBerth('sqlite', { dataDir });
    const back = await until(() => ask('writer').catch(() => ({}) as Record<string, unknown>), (r) => Array.isArray(r.rows), 60_000, 200);
    expect(back).toMatchObject({ rows: ['first', 'second', 'third'] });
    expect((await t.request('GET', ws(`/databases/${db.id}`))).body.status).toBe('RUNNING');

    expect(serverPids(db.id).length).toBeGreaterThan(0);
    expect((await t.request('DELETE', ws(`/databases/${db.id}`))).status).toBe(204);
    expect(serverPids(db.id)).toEqual([]);
    expect(fs.existsSync(path.join(dataDir, 'volumes', db.id))).toBe(false);
  });
});
