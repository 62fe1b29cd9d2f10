// The managed-database API of client-contract.md, in process (fastify inject) on both store
// backends: records, statuses, SQLITE provisioning, attach/detach as a secret env var, scopes,
// and bad input refused with a 400 naming the field and nothing provisioned.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anApp } from '../support/builders.js';
import { expectError } from '../support/expect-error.js';
import { backends, startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';

describe.each(backends)('database API on %s', (backend) => {
  let t: TestBerth;
  const ws = (p: string) => `/api/v1/workspaces/${t.workspaceId}${p}`;
  const volumesDir = () => path.join(t.dataDir, 'volumes');
  const volumeCount = () => (fs.existsSync(volumesDir()) ? fs.readdirSync(volumesDir()).length : 0);
  const newApp = async () => (await t.request<{ id: string; slug: string }>('POST', ws('/apps'), { body: anApp() })).body;

  beforeAll(async () => {
    t = await startTestBerth(backend, { via: 'inject' });
  });
  afterAll(async () => t?.close());

  it('creates an SQLITE database that is RUNNING at once, and reads it back', async () => {
    const created = await t.request('POST', ws('/databases'), { body: { name: 'Notes', slug: 'notes', engine: 'SQLITE' } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Notes',
      slug: 'notes',
      engine: 'SQLITE',
      version: '3',
      status: 'RUNNING',
      statusMessage: null,
      resources: { cpu: '500m', memory: '512Mi', storageGb: 1, storageClass: null, highAvailability: false },
    });
    const id = created.body.id as string;
    expect((await t.request('GET', ws(`/databases/${id}`))).body).toEqual(created.body);
    expect((await t.request('GET', ws('/databases/notes'))).body).toEqual(created.body);
    expect((await t.request('GET', ws(`/databases/${id}/status`))).body).toEqual({
      id,
      status: 'RUNNING',
      phase: 'Running',
      readyInstances: 1,
      desiredInstances: 1,
      message: null,
      restartAttempt: null,
      maxRestartAttempts: null,
      nextRestartAt: null,
      lastExit: null,
    });
    expect((await t.request('GET', ws(`/databases/${id}/connection`))).body).toEqual({
      uri: 'file:/var/lib/dooor/sqlite/db.sqlite',
      username: '',
      password: '',
      host: '',
      port: 0,
      database: 'db.sqlite',
    });
    const listed = await t.request<{ slug: string }[]>('GET', ws('/databases?engine=SQLITE&status=RUNNING&search=note'));
    expect(listed.body.map((d) => d.slug)).toContain('notes');
    expect((await t.request<unknown[]>('GET', ws('/databases?engine=POSTGRES'))).body).toEqual([]);
    expect((await t.request<unknown[]>('GET', ws('/databases?search=nothing-like-it'))).body).toEqual([]);
    expectError(await t.request('POST', ws('/databases'), { body: { name: 'Again', slug: 'notes', engine: 'SQLITE' } }), 409, 'A database with slug "notes" already exists in this workspace');
  });

  it('refuses bad input with a 400 naming the field, and provisions nothing', async () => {
    const before = (await t.request<unknown[]>('GET', ws('/databases'))).body.length;
    const volumesBefore = volumeCount();
    const bad = async (body: Record<string, unknown>, message: string) => {
      const result = await t.request('POST', ws('/databases'), { body: { name: 'Bad', slug: 'bad-one', engine: 'SQLITE', ...body } });
      expectError(result, 400);
      expect((result.body as { message: string[] }).message.join(' | ')).toContain(message);
    };
    await bad({ engine: 'MYSQL' }, 'engine must be one of');
    await bad({ slug: 'Bad Slug' }, 'slug must contain only lowercase letters');
    await bad({ storageGb: 0 }, 'storageGb must be');
    await bad({ storageGb: 2000 }, 'storageGb must be');
    await bad({ cpu: 'lots' }, 'cpu must be a cpu quantity');
    await bad({ memory: 'much' }, 'memory must be a memory quantity');
    await bad({ cpu: '999' }, 'cpu must be a cpu quantity from');
    await bad({ version: '2' }, 'version 2 of SQLITE is not available on this machine');
    await bad({ highAvailability: true }, 'highAvailability is available for POSTGRES only');
    expect((await t.request<unknown[]>('GET', ws('/databases'))).body.length).toBe(before);
    expect(volumeCount()).toBe(volumesBefore);
  });

  it('attaches SQLITE as a secret DATABASE_URL at its mount path, pins the app to one replica, and detaches without losing data', async () => {
    const app = await newApp();
    await t.request('PATCH', ws(`/apps/${app.id}`), { body: { minReplicas: 1, maxReplicas: 3 } });
    const db = (await t.request('POST', ws('/databases'), { body: { name: 'Shop', slug: 'shop', engine: 'SQLITE', storageGb: 2 } })).body;
    expectError(await t.request('POST', ws(`/databases/${db.id}/attachments`), { body: { appId: app.id, mountPath: '../etc' } }), 400);
    expectError(await t.request('POST', ws(`/databases/${db.id}/attachments`), { body: { appId: app.id, mountPath: '/usr/data' } }), 400);
    const attached = await t.request('POST', ws(`/databases/${db.id}/attachments`), { body: { appId: app.slug, mountPath: '/data/shop' } });
    expect(attached.status, JSON.stringify(attached.body)).toBe(201);
    expect(attached.body).toMatchObject({ databaseId: db.id, appId: app.id, engine: 'SQLITE', mountPath: '/data/shop', secretName: 'DATABASE_URL' });
    expectError(await t.request('POST', ws(`/databases/${db.id}/attachments`), { body: { appId: app.id } }), 409, 'The database is already attached to this app');

    const env = (await t.request<{ key: string; value: string; isSecret: boolean }[]>('GET', ws(`/apps/${app.id}/env-vars`))).body;
    expect(env).toContainEqual(expect.objectContaining({ key: 'DATABASE_URL', value: '********', isSecret: true }));
    const stored = await t.berth.store.envVars.list(app.id);
    expect(stored.find((v) => v.key === 'DATABASE_URL')?.value).toBe('file:/data/shop/db.sqlite');
    expect((await t.request('GET', ws(`/apps/${app.id}`))).body).toMatchObject({ maxReplicas: 1, minReplicas: 1 });

    const listed = await t.request('GET', ws(`/apps/${app.id}/databases`));
    expect(listed.body).toEqual([attached.body]);
    expect((await t.request('GET', ws(`/databases/${db.id}/attachments`))).body).toEqual([attached.body]);

    fs.writeFileSync(path.join(volumesDir(), db.id, 'data', 'db.sqlite'), 'rows');
    expect((await t.request('DELETE', ws(`/databases/${db.id}/attachments/${app.id}`))).status).toBe(204);
    expect((await t.request('GET', ws(`/apps/${app.id}/databases`))).body).toEqual([]);
    expect((await t.request('GET', ws(`/databases/${db.id}/attachments`))).body).toEqual([]);
    expect((await t.request<{ key: string }[]>('GET', ws(`/apps/${app.id}/env-vars`))).body.map((v) => v.key)).not.toContain('DATABASE_URL');
    expect(fs.readFileSync(path.join(volumesDir(), db.id, 'data', 'db.sqlite'), 'utf8')).toBe('rows');
    expectError(await t.request('DELETE', ws(`/databases/${db.id}/attachments/${app.id}`)), 404, 'Attachment not found');
  });

  it('refuses to attach an SQLITE database to a second app with a 409 naming the first, and changes nothing', async () => {
    const first = (await t.request<{ id: string; slug: string }>('POST', ws('/apps'), { body: anApp({ name: 'Writer' }) })).body;
    const second = await newApp();
    await t.request('PATCH', ws(`/apps/${second.id}`), { body: { minReplicas: 1, maxReplicas: 3 } });
    const db = (await t.request('POST', ws('/databases'), { body: { name: 'Ledger', slug: 'ledger', engine: 'SQLITE' } })).body;
    expect((await t.request('POST', ws(`/databases/${db.id}/attachments`), { body: { appId: first.id } })).status).toBe(201);
    const trail = async () => (await t.request<unknown[]>('GET', ws(`/databases/${db.id}/audit`))).body;
    const before = { attachments: (await t.request('GET', ws(`/databases/${db.id}/attachments`))).body, audit: await trail(), env: await t.berth.store.envVars.list(second.id) };

    const refused = await t.request('POST', ws(`/databases/${db.id}/attachments`), { body: { appId: second.slug, mountPath: '/data/ledger' } });
    expectError(refused, 409, `SQLITE database ledger is attached to app "Writer" (${first.slug}): detach it from that app first; an SQLITE database is written by one app only`);
    expect((await t.request('GET', ws(`/databases/${db.id}/attachments`))).body).toEqual(before.attachments);
    expect((await t.request('GET', ws(`/apps/${second.id}/databases`))).body).toEqual([]);
    expect(await t.berth.store.envVars.list(second.id)).toEqual(before.env);
    expect((await t.request('GET', ws(`/apps/${second.id}`))).body).toMatchObject({ maxReplicas: 3 });
    expect(await trail()).toEqual(before.audit);

    // A soft-deleted app still holds it (its restore brings the attachment back): said so, with the ways out.
    expect((await t.request('DELETE', ws(`/apps/${first.id}`))).status).toBeLessThan(300);
    expectError(
      await t.request('POST', ws(`/databases/${db.id}/attachments`), { body: { appId: second.id } }),
      409,
      `SQLITE database ledger is attached to app "Writer" (${first.slug}), which is deleted (restoring it brings the attachment back): delete that app permanently, or restore it and detach the database from it, first; an SQLITE database is written by one app only`,
    );
    // Once the first lets go, the second may have it.
    expect((await t.request('DELETE', ws(`/apps/${first.id}/permanent`))).status).toBeLessThan(300);
    const attached = await t.request('POST', ws(`/databases/${db.id}/attachments`), { body: { appId: second.id } });
    expect(attached.status, JSON.stringify(attached.body)).toBe(201);
  });

  it('leaves a deleted app out of the apps a database is attached to', async () => {
    const app = await newApp();
    const db = (await t.request('POST', ws('/databases'), { body: { name: 'Orphan', slug: 'orphan', engine: 'SQLITE' } })).body;
    expect((await t.request('POST', ws(`/databases/${db.id}/attachments`), { body: { appId: app.id } })).status).toBe(201);
    expect((await t.request<unknown[]>('GET', ws(`/databases/${db.id}/attachments`))).body).toHaveLength(1);
    expect((await t.request('DELETE', ws(`/apps/${app.id}`))).status).toBeLessThan(300);
    expect((await t.request('GET', ws(`/databases/${db.id}/attachments`))).body).toEqual([]);
    expectError(await t.request('GET', ws('/databases/nothing-like-it/attachments')), 404, 'Database not found');
  });

  it('keeps a soft-deleted app\'s attachment for its restore, drops it with a purge, and never lets it hold the database', async () => {
    const app = await newApp();
    const db = (await t.request('POST', ws('/databases'), { body: { name: 'Kept', slug: 'kept', engine: 'SQLITE' } })).body;
    expect((await t.request('POST', ws(`/databases/${db.id}/attachments`), { body: { appId: app.id } })).status).toBe(201);
    // Soft delete (spec 000: data retained): a restore brings the app back attached and pinned.
    expect((await t.request('DELETE', ws(`/apps/${app.id}`))).status).toBeLessThan(300);
    expect((await t.request('POST', `/api/apps/${app.id}/restore`)).status).toBe(200);
    expect((await t.request<{ database: { id: string } }[]>('GET', ws(`/apps/${app.id}/databases`))).body).toHaveLength(1);
    expect((await t.berth.store.envVars.list(app.id)).map((v) => v.key)).toContain('DATABASE_URL');
    expectError(await t.request('PATCH', ws(`/apps/${app.id}`), { body: { maxReplicas: 3 } }), 400);
    // A deleted app's attachment does not keep its database: the delete goes through and takes the variable.
    expect((await t.request('DELETE', ws(`/apps/${app.id}`))).status).toBeLessThan(300);
    expect((await t.request('DELETE', ws(`/databases/${db.id}`))).status).toBe(204);
    expect((await t.request('POST', `/api/apps/${app.id}/restore`)).status).toBe(200);
    expect((await t.request('GET', ws(`/apps/${app.id}/databases`))).body).toEqual([]);
    expect((await t.berth.store.envVars.list(app.id)).map((v) => v.key)).not.toContain('DATABASE_URL');
    expect((await t.request('PATCH', ws(`/apps/${app.id}`), { body: { maxReplicas: 3 } })).status).toBe(200);
    // Permanent delete (everything associated): the attachment row goes with the app.
    const other = (await t.request('POST', ws('/databases'), { body: { name: 'Purged', slug: 'purged', engine: 'SQLITE' } })).body;
    expect((await t.request('POST', ws(`/databases/${other.id}/attachments`), { body: { appId: app.id } })).status).toBe(201);
    expect((await t.request('DELETE', ws(`/apps/${app.id}/permanent`))).status).toBeLessThan(300);
    expect(await t.berth.store.databases.attachmentsOfDatabase(other.id)).toEqual([]);
    expect((await t.request('DELETE', ws(`/databases/${other.id}`))).status).toBe(204);
  });

  it("refuses to attach over an env var the app sets itself, and changes nothing", async () => {
    const app = await newApp();
    await t.request('POST', ws(`/apps/${app.id}/env-vars/bulk`), { body: { vars: [{ key: 'DATABASE_URL', value: 'postgres://mine', isSecret: false }] } });
    const db = (await t.request('POST', ws('/databases'), { body: { name: 'Over', slug: 'over', engine: 'SQLITE' } })).body;
    expectError(
      await t.request('POST', ws(`/databases/${db.id}/attachments`), { body: { appId: app.id } }),
      409,
      'The app already sets DATABASE_URL itself; remove that env var (or rename it) first, then attach: Berth injects the connection as DATABASE_URL',
    );
    expect((await t.request('GET', ws(`/apps/${app.id}/databases`))).body).toEqual([]);
    expect((await t.berth.store.envVars.list(app.id)).find((v) => v.key === 'DATABASE_URL')?.value).toBe('postgres://mine');
  });

  it('deletes a database with its data, and its attachments with their variables', async () => {
    const app = await newApp();
    const db = (await t.request('POST', ws('/databases'), { body: { name: 'Gone', slug: 'gone', engine: 'SQLITE' } })).body;
    await t.request('POST', ws(`/databases/${db.id}/attachments`), { body: { appId: app.id } });
    expect(fs.existsSync(path.join(volumesDir(), db.id))).toBe(true);
    expect((await t.request('DELETE', ws(`/databases/${db.id}`))).status).toBe(204);
    expect(fs.existsSync(path.join(volumesDir(), db.id))).toBe(false);
    expectError(await t.request('GET', ws(`/databases/${db.id}`)), 404, 'Database not found');
    expect((await t.request('GET', ws(`/apps/${app.id}/databases`))).body).toEqual([]);
    expect((await t.request<{ key: string }[]>('GET', ws(`/apps/${app.id}/env-vars`))).body.map((v) => v.key)).not.toContain('DATABASE_URL');
  });

  it('restarts a database on request (SQLITE: RUNNING at once), refusing a key without databases:write', async () => {
    const db = (await t.request('POST', ws('/databases'), { body: { name: 'Again', slug: 'again', engine: 'SQLITE' } })).body;
    const restarted = await t.request('POST', ws(`/databases/${db.id}/restart`));
    expect(restarted.status, JSON.stringify(restarted.body)).toBe(202);
    expect(restarted.body).toMatchObject({ id: db.id, status: 'RUNNING', statusMessage: null });
    const readOnly = (await t.request<{ key: string }>('POST', ws('/api-keys'), { body: { name: 'ro-restart', scopes: ['databases:read'] } })).body.key;
    expectError(await t.request('POST', ws(`/databases/${db.id}/restart`), { key: readOnly }), 403, 'Missing required scope: databases:write');
    expectError(await t.request('POST', ws('/databases/db_nothere/restart')), 404);
  });

  it('enforces the databases scopes and keeps other workspaces out', async () => {
    const readOnly = (await t.request<{ key: string }>('POST', ws('/api-keys'), { body: { name: 'ro', scopes: ['databases:read', 'apps:read'] } })).body.key;
    expect((await t.request('GET', ws('/databases'), { key: readOnly })).status).toBe(200);
    expectError(await t.request('POST', ws('/databases'), { key: readOnly, body: { name: 'X', slug: 'x', engine: 'SQLITE' } }), 403, 'Missing required scope: databases:write');
    const db = (await t.request('POST', ws('/databases'), { body: { name: 'Q', slug: 'q', engine: 'SQLITE' } })).body;
    expectError(await t.request('POST', ws(`/databases/${db.id}/query`), { key: readOnly, body: { sql: 'select 1' } }), 403, 'Missing required scope: databases:query');
    expectError(await t.request('POST', ws(`/databases/${db.id}/query`), { body: { sql: 'select 1' } }), 400, 'query is available for POSTGRES databases only, not SQLITE');
    expectError(await t.request('GET', `/api/v1/workspaces/ws_other/databases/${db.id}`), 404);
  });
});
