// A database's audit trail read back through `GET …/databases/{dbId}/audit` (a Berth extension),
// in process on both store backends: newest first, the key that acted by id and name, pages by
// `before`, nothing of another database, and bad input, missing scopes and other workspaces refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anApp } from '../support/builders.js';
import { expectError } from '../support/expect-error.js';
import { backends, startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';

interface Entry {
  id: string;
  action: string;
  actor: { keyId: string; name: string | null } | null;
  detail: Record<string, unknown> | null;
  createdAt: string;
}

describe.each(backends)('the audit trail of a database on %s', (backend) => {
  let t: TestBerth;
  let auditor: { id: string; key: string };
  let db: { id: string; slug: string };
  let appId: string;
  const ws = (p: string) => `/api/v1/workspaces/${t.workspaceId}${p}`;

  beforeAll(async () => {
    t = await startTestBerth(backend, { via: 'inject' });
    auditor = (await t.request('POST', ws('/api-keys'), { body: { name: 'auditor', scopes: ['databases:read', 'databases:write', 'apps:read'] } })).body;
    db = (await t.request('POST', ws('/databases'), { body: { name: 'Ledger', slug: 'ledger', engine: 'SQLITE' } })).body;
    // Another database's entries must not show.
    await t.request('POST', ws('/databases'), { body: { name: 'Other', slug: 'other', engine: 'SQLITE' } });
    appId = (await t.request<{ id: string }>('POST', ws('/apps'), { body: anApp() })).body.id;
    for (const step of ['attach', 'detach', 'attach'] as const) {
      const answer =
        step === 'attach'
          ? await t.request('POST', ws(`/databases/${db.id}/attachments`), { key: auditor.key, body: { appId } })
          : await t.request('DELETE', ws(`/databases/${db.id}/attachments/${appId}`), { key: auditor.key });
      expect(answer.status, JSON.stringify(answer.body)).toBe(step === 'attach' ? 201 : 204);
    }
  });
  afterAll(async () => t?.close());

  it('lists what was done to the database, newest first, with the key that did it', async () => {
    const answer = await t.request<Entry[]>('GET', ws(`/databases/${db.id}/audit`), { key: auditor.key });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.map((e) => e.action)).toEqual(['database.attach', 'database.detach', 'database.attach', 'database.create']);
    expect(answer.body[0]).toEqual({ id: expect.stringMatching(/^aud_/), action: 'database.attach', actor: { keyId: auditor.id, name: 'auditor' }, detail: expect.any(Object), createdAt: expect.any(String) });
    expect(answer.body[3]?.detail).toEqual({ engine: 'SQLITE', slug: 'ledger' });
    expect(answer.body[3]?.actor).toEqual({ keyId: expect.stringMatching(/^key_/), name: expect.any(String) });
    // By slug too, as every database endpoint.
    expect((await t.request<Entry[]>('GET', ws('/databases/ledger/audit'))).body).toEqual(answer.body);
  });

  it('pages by before: the last id of a page gives the next, and an empty page ends', async () => {
    const all = (await t.request<Entry[]>('GET', ws(`/databases/${db.id}/audit`))).body;
    const first = (await t.request<Entry[]>('GET', ws(`/databases/${db.id}/audit?limit=3`))).body;
    expect(first).toEqual(all.slice(0, 3));
    const second = (await t.request<Entry[]>('GET', ws(`/databases/${db.id}/audit?limit=3&before=${first[2]?.id}`))).body;
    expect(second).toEqual(all.slice(3));
    expect((await t.request<Entry[]>('GET', ws(`/databases/${db.id}/audit?before=${all.at(-1)?.id}`))).body).toEqual([]);
  });

  it('refuses bad input, a key without databases:read and other workspaces', async () => {
    expectError(await t.request('GET', ws(`/databases/${db.id}/audit?limit=0`)), 400);
    expectError(await t.request('GET', ws(`/databases/${db.id}/audit?limit=1001`)), 400);
    expectError(await t.request('GET', ws(`/databases/${db.id}/audit?before=yesterday`)), 400, 'before must be the id of an audit entry (aud_…), as a previous page gave it');
    const appsOnly = (await t.request<{ key: string }>('POST', ws('/api-keys'), { body: { name: 'apps-only', scopes: ['apps:read'] } })).body.key;
    expectError(await t.request('GET', ws(`/databases/${db.id}/audit`), { key: appsOnly }), 403, 'Missing required scope: databases:read');
    expectError(await t.request('GET', ws('/databases/db_nothere/audit')), 404);
    expectError(await t.request('GET', `/api/v1/workspaces/ws_other/databases/${db.id}/audit`), 404);
  });
});
