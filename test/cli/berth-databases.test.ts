// `berth databases` against a real Berth over HTTP, with SQLITE databases (they provision at
// once): create, list, info, the API's words for what it refuses, attach/detach that say a deploy
// is needed and with --sync roll the app onto a revision that has (or no longer has) the database,
// and delete that asks for the slug on a terminal and refuses without one unless --yes.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactDir } from '../support/app-fixtures.js';
import { runBerthOnTerminal } from '../support/berth-cli.js';
import { cliHome } from '../support/cli-home.js';
import type { CliHome } from '../support/cli-home.js';
import { startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';
import { edgeRequest } from '../e2e/support/edge-client.js';

/** An app answering its revision, its DATABASE_URL and whether it could write next to that file. */
function databaseApp(): string {
  const dir = artifactDir();
  fs.writeFileSync(
    path.join(dir, 'server.js'),
    `const fs = require('fs');
const server = require('http').createServer((req, res) => {
  const url = process.env.DATABASE_URL || null;
  let wrote = null;
  if (url) {
    try { fs.writeFileSync(require('path').dirname(url.replace(/^file:/, '')) + '/probe', 'x'); wrote = true; } catch (error) { wrote = error.code || String(error); }
  }
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ revision: process.env.BERTH_REVISION || null, databaseUrl: url, wrote }));
});
server.listen(Number(process.env.PORT));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`,
  );
  return dir;
}

describe('berth databases', { timeout: 180_000 }, () => {
  let t: TestBerth;
  let home: CliHome;
  const ws = (rest: string) => `/api/v1/workspaces/${t.workspaceId}${rest}`;
  const ask = async () => JSON.parse((await edgeRequest(t.berth.edgePort, 'shop.localhost')).body) as { revision: string; databaseUrl: string | null; wrote: unknown };
  const slugs = async () => (await t.request<{ slug: string }[]>('GET', ws('/databases'))).body.map((d) => d.slug).sort();

  beforeAll(async () => {
    t = await startTestBerth('sqlite', { env: { BERTH_DB_BACKUP_CRON: 'off' } });
    home = cliHome(() => t);
  });
  afterAll(async () => {
    await t?.close();
    home?.close();
  });

  it('creates SQLITE databases (running at once), lists them and shows one by slug or id', async () => {
    const created = await home.berth(['databases', 'create', 'Notes', '--engine', 'sqlite']);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/^Created notes \(db_\w+\): SQLITE 3, RUNNING\n$/);
    const cache = await home.berth(['databases', 'create', 'Cache files', '--engine', 'sqlite', '--slug', 'cache', '--storage', '2', '--json']);
    expect(cache.code, cache.stderr).toBe(0);
    const cacheDb = JSON.parse(cache.stdout) as { id: string; slug: string; status: string; resources: { storageGb: number } };
    expect(cacheDb).toMatchObject({ slug: 'cache', status: 'RUNNING', resources: { storageGb: 2 } });
    expect(await slugs()).toEqual(['cache', 'notes']);

    const listed = await home.berth(['databases']);
    expect(listed.stdout).toMatch(/^SLUG\s+NAME\s+ENGINE\s+VERSION\s+STATUS\s+STORAGE\s+WHY$/m);
    expect(listed.stdout).toMatch(/^notes\s+Notes\s+SQLITE\s+3\s+RUNNING\s+1 GB\s+-$/m);
    expect(listed.stdout).toMatch(/^cache\s+Cache files\s+SQLITE\s+3\s+RUNNING\s+2 GB\s+-$/m);
    const searched = JSON.parse((await home.berth(['databases', '--search', 'note', '--json'])).stdout) as { slug: string }[];
    expect(searched.map((d) => d.slug)).toEqual(['notes']);

    const info = await home.berth(['databases', 'info', 'notes']);
    expect(info.code, info.stderr).toBe(0);
    expect(info.stdout).toMatch(/^Database:\s+Notes \(notes, db_\w+\)$/m);
    expect(info.stdout).toMatch(/^Status:\s+RUNNING, 1\/1 ready$/m);
    expect(info.stdout).toMatch(/^URI:\s+file:\/var\/lib\/dooor\/sqlite\/db\.sqlite$/m);
    const byId = JSON.parse((await home.berth(['databases', 'info', cacheDb.id, '--json'])).stdout);
    expect(byId).toMatchObject({ database: { slug: 'cache' }, status: { status: 'RUNNING' }, connection: { database: 'db.sqlite' } });
  });

  it('refuses in the API words: a taken slug (5), an unknown database (4), SQL on a SQLITE database (5); a bad engine is bad usage (2)', async () => {
    const again = await home.berth(['databases', 'create', 'Notes', '--engine', 'sqlite']);
    expect(again.code).toBe(5);
    const direct = await t.request<{ message: string }>('POST', ws('/databases'), { body: { name: 'Notes', slug: 'notes', engine: 'SQLITE' } });
    expect(again.stderr.trim()).toBe(`berth: ${direct.body.message}`);
    const missing = await home.berth(['databases', 'info', 'no-such-db']);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toContain('berth: Database not found');
    const query = await home.berth(['databases', 'query', 'notes', 'SELECT 1']);
    expect(query.code).toBe(5);
    const directQuery = await t.request<{ message: string }>('POST', ws('/databases/notes/query'), { body: { sql: 'SELECT 1' } });
    expect(query.stderr.trim()).toBe(`berth: ${directQuery.body.message}`);
    const engine = await home.berth(['databases', 'create', 'Other', '--engine', 'mysql']);
    expect(engine.code).toBe(2);
    expect(engine.stderr).toContain("'mysql' is invalid");
    expect(await slugs()).toEqual(['cache', 'notes']);
  });

  it('attach says a deploy is needed; with --sync the app runs a new revision with the database mounted, and detach --sync takes it away', async (ctx) => {
    if (!t.berth.runtime.isolation.sandbox) return ctx.skip();
    const app = (await t.request('POST', ws('/apps'), { body: { name: 'Shop', slug: 'shop', visibility: 'public' } })).body;
    const deployed = await t.berth.core.deployArtifact({ appId: app.id, artifactDir: databaseApp(), command: ['/usr/bin/node', 'server.js'], imageRef: 'dir:shop', triggerType: 'MANUAL' });
    expect(deployed.deployment.status, deployed.deployment.error ?? '').toBe('succeeded');
    expect(await ask()).toMatchObject({ revision: 'shop-00001', databaseUrl: null });

    const later = await home.berth(['databases', 'attach', 'cache', 'shop']);
    expect(later.code, later.stderr).toBe(0);
    expect(later.stderr).toContain('Attached cache to shop as DATABASE_URL, mounted at /var/lib/dooor/sqlite');
    expect(later.stderr).toContain('shop gets it at its next deploy (add --sync to roll the running app onto a new revision now)');
    expect(await ask()).toMatchObject({ revision: 'shop-00001', databaseUrl: null });
    const detached = await home.berth(['databases', 'detach', 'cache', 'shop']);
    expect(detached.code, detached.stderr).toBe(0);
    expect(detached.stderr).toContain('shop keeps it until its next deploy (add --sync');

    const synced = await home.berth(['databases', 'attach', 'notes', 'shop', '--mount-path', '/data/notes', '--sync'], { timeoutMs: 120_000 });
    expect(synced.code, synced.stderr).toBe(0);
    expect(synced.stderr).toContain('Synced: shop-00002 serves shop with DATABASE_URL');
    expect(await ask()).toEqual({ revision: 'shop-00002', databaseUrl: 'file:/data/notes/db.sqlite', wrote: true });

    const gone = await home.berth(['databases', 'detach', 'notes', 'shop', '--sync'], { timeoutMs: 120_000 });
    expect(gone.code, gone.stderr).toBe(0);
    expect(await ask()).toMatchObject({ revision: 'shop-00003', databaseUrl: null });
    return undefined;
  });

  it('delete refuses without a terminal unless --yes (2); on a terminal it asks for the slug', async () => {
    const refused = await home.berth(['databases', 'delete', 'notes']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('berth: deleting notes removes all its data for good: add --yes');
    expect(await slugs()).toEqual(['cache', 'notes']);

    const prompt = 'Type its slug (notes) to go on: ';
    const mistyped = await runBerthOnTerminal(['databases', 'delete', 'notes'], { env: home.env, prompt, answer: 'nots' });
    expect(mistyped.code, mistyped.output).toBe(1);
    expect(mistyped.output).toContain('berth: not deleted: you typed "nots", not notes');
    expect(await slugs()).toEqual(['cache', 'notes']);
    const typed = await runBerthOnTerminal(['databases', 'delete', 'notes'], { env: home.env, prompt, answer: 'notes' });
    expect(typed.code, typed.output).toBe(0);
    expect(typed.output).toContain('Deleted notes and all its data');
    expect(await slugs()).toEqual(['cache']);

    const yes = await home.berth(['databases', 'delete', 'cache', '--yes']);
    expect(yes.code, yes.stderr).toBe(0);
    expect(await slugs()).toEqual([]);
    expect((await home.berth(['databases', 'delete', 'cache', '--yes'])).code).toBe(4);
  });
});
