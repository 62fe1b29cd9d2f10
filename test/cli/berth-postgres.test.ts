// `berth databases` with POSTGRES against a real Berth over HTTP: create waits through
// provisioning until RUNNING, info hides the password unless --show-password, query prints the
// rows as a table and a write is refused in the API words; a server that cannot be set up makes
// create exit 1 with the reason (--no-wait returns while it still provisions).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliHome } from '../support/cli-home.js';
import type { CliHome } from '../support/cli-home.js';
import { startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';
import { until } from '../e2e/support/edge-client.js';

const available = process.getuid?.() === 0 && fs.existsSync('/usr/lib/postgresql/15/bin/initdb');

describe.runIf(available)('berth databases with POSTGRES', { timeout: 180_000 }, () => {
  let t: TestBerth;
  let home: CliHome;
  const ws = (rest: string) => `/api/v1/workspaces/${t.workspaceId}${rest}`;

  beforeAll(async () => {
    t = await startTestBerth('sqlite', { env: { BERTH_DB_BACKUP_CRON: 'off', BERTH_ISOLATION: 'off' } });
    home = cliHome(() => t);
  });
  afterAll(async () => {
    await t?.close();
    home?.close();
  });

  it('creates a database and waits until it runs; info hides the password unless asked; query prints a table', async () => {
    const created = await home.berth(['databases', 'create', 'Orders', '--engine', 'postgres', '--version', '15', '--storage', '1'], { timeoutMs: 120_000 });
    expect(created.code, created.stderr).toBe(0);
    expect(created.stderr).toContain('Provisioning orders (POSTGRES 15)…');
    expect(created.stdout).toMatch(/^Created orders \(db_\w+\): POSTGRES 15, RUNNING\n$/);

    const connection = (await t.request<{ password: string }>('GET', ws('/databases/orders/connection'))).body;
    expect(connection.password.length).toBeGreaterThan(8);
    const hidden = await home.berth(['databases', 'info', 'orders']);
    expect(hidden.code, hidden.stderr).toBe(0);
    expect(hidden.stdout).not.toContain(connection.password);
    expect(hidden.stdout).toMatch(/^URI:\s+postgresql:\/\/app:\*{8}@\S+:5432\/app$/m);
    expect(hidden.stdout).toMatch(/^Password:\s+\*{8} \(--show-password shows it\)$/m);
    expect(JSON.stringify(JSON.parse((await home.berth(['databases', 'info', 'orders', '--json'])).stdout))).not.toContain(connection.password);
    const shown = await home.berth(['databases', 'info', 'orders', '--show-password']);
    expect(shown.stdout).toMatch(new RegExp(`^Password:\\s+${connection.password}$`, 'm'));
    expect(shown.stdout).toMatch(new RegExp(`^URI:\\s+postgresql://app:${connection.password}@`, 'm'));

    const query = await home.berth(['databases', 'query', 'orders', "SELECT n, 'item-' || n AS item, NULL AS note FROM generate_series(1, 3) n"]);
    expect(query.code, query.stderr).toBe(0);
    expect(query.stdout).toBe('n  item    note\n1  item-1  NULL\n2  item-2  NULL\n3  item-3  NULL\n');
    expect(query.stderr).toContain('(3 rows)');
    const write = await home.berth(['databases', 'query', 'orders', 'CREATE TABLE t (v int)']);
    expect(write.code).toBe(5);
    const direct = await t.request<{ message: string }>('POST', ws('/databases/orders/query'), { body: { sql: 'CREATE TABLE t (v int)' } });
    expect(write.stderr.trim()).toBe(`berth: ${direct.body.message}`);
  });
});

describe.runIf(available)('berth databases create when the server cannot be set up', { timeout: 120_000 }, () => {
  let t: TestBerth;
  let home: CliHome;
  // A PostgreSQL whose initdb fails as on a full disk.
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-pg-broken-'));

  beforeAll(async () => {
    fs.chmodSync(bin, 0o755);
    fs.writeFileSync(path.join(bin, 'postgres'), '#!/bin/sh\n[ "$1" = "--version" ] && echo "postgres (PostgreSQL) 15.8" && exit 0\nexit 1\n', { mode: 0o755 });
    fs.writeFileSync(path.join(bin, 'initdb'), '#!/bin/sh\necho "initdb: error: could not create directory: No space left on device" >&2\nexit 1\n', { mode: 0o755 });
    t = await startTestBerth('sqlite', { env: { BERTH_DB_BACKUP_CRON: 'off', BERTH_ISOLATION: 'off', BERTH_POSTGRES_BIN_DIR: bin } });
    home = cliHome(() => t);
  });
  afterAll(async () => {
    await t?.close();
    home?.close();
    fs.rmSync(bin, { recursive: true, force: true });
  });

  it('exits 1 with the reason it failed; --no-wait returns while it provisions', async () => {
    const failed = await home.berth(['databases', 'create', 'Broken', '--engine', 'postgres']);
    expect(failed.code).toBe(1);
    const database = (await t.request<{ status: string; statusMessage: string }>('GET', `/api/v1/workspaces/${t.workspaceId}/databases/broken`)).body;
    expect(database.status).toBe('FAILED');
    expect(database.statusMessage).toContain('No space left on device');
    expect(failed.stderr.trim().split('\n').at(-1)).toBe(`berth: database broken failed: ${database.statusMessage}`);
    const listed = await home.berth(['databases']);
    expect(listed.stdout).toMatch(/^broken\s+Broken\s+POSTGRES\s+15\s+FAILED\s+10 GB\s+.*No space left on device/m);

    const queued = await home.berth(['databases', 'create', 'Later', '--engine', 'postgres', '--no-wait', '--json']);
    expect(queued.code, queued.stderr).toBe(0);
    expect(JSON.parse(queued.stdout)).toMatchObject({ slug: 'later', status: 'PROVISIONING' });
    await until(() => t.request('GET', `/api/v1/workspaces/${t.workspaceId}/databases/later`), (r) => r.body.status !== 'PROVISIONING', 30_000);
  });
});
