// A backup or restore that fails is in the audit trail as well as one that succeeds: who tried
// what, when, and the reason the answer gave, through the API in process with a real sqlite3.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/domain/audit.js';
import { expectError } from '../support/expect-error.js';
import { startTestBerth, type TestBerth } from '../support/test-berth.js';
import { runningDatabase } from './running-database.js';

describe.runIf(process.getuid?.() === 0 && fs.existsSync('/usr/bin/sqlite3'))('the audit trail of backups and restores', () => {
  let t: TestBerth;
  let db: { id: string };
  const ws = (p: string) => `/api/v1/workspaces/${t.workspaceId}${p}`;
  const garbage = 'not a database, but long enough to have a header of sorts: '.repeat(4);
  const entriesOf = async (action: string) =>
    (await t.berth.store.audit.list(t.workspaceId, 100)).filter((e: AuditEntry) => e.action === action && e.targetId === db.id);

  beforeAll(async () => {
    t = await startTestBerth('sqlite', { via: 'inject', env: { BERTH_DB_BACKUP_CRON: 'off' } });
    db = await runningDatabase(t, 'SQLITE', 'audited');
  });
  afterAll(async () => t?.close());

  it('records a failed restore with its reason, beside the restores that worked', async () => {
    const taken = (await t.request('POST', ws(`/databases/${db.id}/backups`))).body as { id: string };
    expect((await t.request('POST', ws(`/databases/${db.id}/backups/${taken.id}/restore`))).status).toBe(200);
    fs.writeFileSync(path.join(t.dataDir, 'backups', db.id, taken.id, 'db.sqlite'), garbage);
    const refused = expectError(await t.request('POST', ws(`/databases/${db.id}/backups/${taken.id}/restore`)), 409);

    const entries = await entriesOf('database.restore');
    expect(entries).toHaveLength(2);
    expect(entries.map((e) => e.detail)).toEqual(expect.arrayContaining([{ backupId: taken.id, error: refused.message }, { backupId: taken.id }]));
    expect(entries.every((e) => e.actorKeyId !== null)).toBe(true);
  });

  it('records a failed backup with its reason', async () => {
    fs.writeFileSync(path.join(t.dataDir, 'volumes', db.id, 'data', 'db.sqlite'), garbage);
    const refused = expectError(await t.request('POST', ws(`/databases/${db.id}/backups`)), 409, 'The backup failed: sqlite3 exited with status 1: Error: file is not a database');

    const entries = await entriesOf('database.backup');
    expect(entries).toHaveLength(2);
    expect(entries.map((e) => e.detail)).toEqual(expect.arrayContaining([{ backupId: null, error: refused.message }, { backupId: expect.stringMatching(/^bkp_/) }]));
  });
});
