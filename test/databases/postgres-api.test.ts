// POSTGRES databases through the API, in process on both store backends, with a real server of
// their own: provisioning to RUNNING, the connection, and the query endpoint refusing every way
// of writing (INSERT, DROP, COPY … TO PROGRAM, a write in a CTE, in a function call) and a
// statement past the timeout, while reads come back capped and audited.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from '../support/expect-error.js';
import { backends, startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';
import { until } from '../e2e/support/edge-client.js';

const available = process.getuid?.() === 0;

describe.runIf(available).each(backends)('POSTGRES databases on %s', (backend) => {
  let t: TestBerth;
  let db: { id: string; slug: string };
  const ws = (p: string) => `/api/v1/workspaces/${t.workspaceId}${p}`;
  const query = (sql: string, maxRows?: number) => t.request('POST', ws(`/databases/${db.id}/query`), { body: { sql, ...(maxRows ? { maxRows } : {}) } });

  beforeAll(async () => {
    t = await startTestBerth(backend, { via: 'inject', env: { BERTH_DB_QUERY_TIMEOUT_MS: '500', BERTH_DB_QUERY_MAX_ROWS: '100' } });
    const created = await t.request('POST', ws('/databases'), { body: { name: 'Orders', slug: `orders-${backend}`, engine: 'POSTGRES', storageGb: 1, memory: '256Mi' } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ engine: 'POSTGRES', version: '15', status: 'PROVISIONING' });
    db = created.body;
    const status = await until(() => t.request('GET', ws(`/databases/${db.id}/status`)), (r) => r.body.status !== 'PROVISIONING', 60_000, 100);
    expect(status.body, JSON.stringify(status.body)).toMatchObject({ status: 'RUNNING', phase: 'Running', readyInstances: 1 });
    // Data the owner writes, that the query endpoint then reads.
    const connection = (await t.request('GET', ws(`/databases/${db.id}/connection`))).body;
    const { default: pg } = await import('pg');
    const owner = new pg.Client({ connectionString: connection.uri.replace('%2Fvar%2Frun%2Fpostgresql', encodeURIComponent(`${t.dataDir}/volumes/${db.id}/data/run`)) });
    await owner.connect();
    await owner.query('CREATE TABLE orders (id serial PRIMARY KEY, item text NOT NULL)');
    await owner.query("INSERT INTO orders (item) SELECT 'item-' || g FROM generate_series(1, 250) g");
    await owner.query("CREATE FUNCTION add_order(x text) RETURNS int LANGUAGE sql AS $$ INSERT INTO orders (item) VALUES (x) RETURNING id $$");
    await owner.end();
  }, 120_000);
  afterAll(async () => t?.close());

  it('shows a connection to its own server, with a generated role and password', async () => {
    const connection = (await t.request('GET', ws(`/databases/${db.id}/connection`))).body;
    expect(connection).toMatchObject({ host: '/var/run/postgresql', port: 5432, username: 'app', database: 'app' });
    expect(connection.password).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(connection.uri).toBe(`postgresql://app:${connection.password}@%2Fvar%2Frun%2Fpostgresql:5432/app`);
  });

  it('answers reads with columns and rows, a LIMIT added and rows capped', async () => {
    const one = await query('SELECT id, item FROM orders ORDER BY id LIMIT 2');
    expect(one.status, JSON.stringify(one.body)).toBe(200);
    expect(one.body).toMatchObject({ columns: [{ name: 'id', dataType: 'int4' }, { name: 'item', dataType: 'text' }], rows: [{ id: 1, item: 'item-1' }, { id: 2, item: 'item-2' }], rowCount: 2, truncated: false });
    const capped = await query('SELECT * FROM orders;');
    expect(capped.body).toMatchObject({ rowCount: 100, truncated: true });
    expect((await query('SELECT * FROM orders', 5)).body).toMatchObject({ rowCount: 5, truncated: true });
    expect((await query('SHOW server_version')).body.rows[0].server_version).toMatch(/^15/);
    expect((await query('WITH x AS (SELECT count(*) AS n FROM orders) SELECT n FROM x')).body.rows).toEqual([{ n: 250 }]);
  });

  it('refuses every way of writing, and statements past the timeout, with PostgreSQL saying why', async () => {
    const refused = async (sql: string, message: RegExp) => {
      const result = await query(sql);
      expectError(result, 400);
      expect((result.body as { message: string[] }).message.join(' '), sql).toMatch(message);
    };
    await refused("INSERT INTO orders (item) VALUES ('x')", /INSERT is refused/);
    await refused('DROP TABLE orders', /DROP is refused/);
    await refused("COPY orders TO PROGRAM 'touch /tmp/pwned'", /COPY is refused/);
    await refused("WITH gone AS (DELETE FROM orders RETURNING *) SELECT * FROM gone", /PostgreSQL: .*(data-modifying|read-only)/);
    await refused("SELECT add_order('sneaky')", /PostgreSQL: cannot execute INSERT in a read-only transaction/);
    // The role that reads may not even use the sequence (and the transaction is read-only besides).
    await refused("SELECT nextval('orders_id_seq')", /PostgreSQL: (permission denied for sequence orders_id_seq|cannot execute nextval)/);
    await refused('SELECT pg_sleep(5)', /PostgreSQL: canceling statement due to statement timeout/);
    await refused('SELECT 1; DELETE FROM orders', /single statement/);
    await refused("SELECT set_config('default_transaction_read_only', 'off', false); INSERT INTO orders (item) VALUES ('x')", /single statement/);
    await refused('SELECT * FROM no_such_table', /PostgreSQL: relation "no_such_table" does not exist/);
    expect((await query('SELECT count(*) AS n FROM orders')).body.rows).toEqual([{ n: 250 }]);
  });

  it('audits each query: who, what SQL, how many rows, how long', async () => {
    await query('SELECT 42 AS answer');
    const entries = await t.berth.store.audit.list(t.workspaceId, 50);
    const entry = entries.find((e) => e.action === 'database.query' && (e.detail as { sql?: string } | null)?.sql === 'SELECT 42 AS answer');
    expect(entry).toMatchObject({ targetId: db.id, detail: { rows: 1, error: null } });
    expect(entry?.actorKeyId).toBeTruthy();
    expect(typeof (entry?.detail as { durationMs?: unknown }).durationMs).toBe('number');
  });

  it("shows a query's SQL and error in the database's audit trail only to keys that may run queries", async () => {
    await query("SELECT 'card-4242' AS secret");
    expectError(await query('SELECT * FROM secret_plans'), 400);
    type Entry = { action: string; actor: { name: string | null } | null; detail: Record<string, unknown> };
    const keyWith = async (name: string, scopes: string[]) => (await t.request<{ key: string }>('POST', ws('/api-keys'), { body: { name, scopes } })).body.key;
    const trail = async (key: string) => {
      const answer = await t.request<Entry[]>('GET', ws(`/databases/${db.id}/audit?limit=2`), { key });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      return answer.body;
    };
    const [failed, ran] = await trail(await keyWith(`reader-${backend}`, ['databases:read']));
    // That a query ran, by whom, how many rows and whether it failed: yes; what it asked: no.
    expect(ran).toMatchObject({ action: 'database.query', actor: { name: expect.any(String) }, detail: { sql: null, rows: 1, error: null } });
    expect(failed).toMatchObject({ action: 'database.query', detail: { sql: null, rows: 0, error: 'hidden: the SQL and its error need databases:query' } });
    expect(JSON.stringify([failed, ran])).not.toMatch(/card-4242|secret_plans/);
    const [failedAgain, ranAgain] = await trail(await keyWith(`querier-${backend}`, ['databases:read', 'databases:query']));
    expect(ranAgain?.detail).toMatchObject({ sql: "SELECT 'card-4242' AS secret", rows: 1, error: null });
    expect(failedAgain?.detail).toMatchObject({ sql: 'SELECT * FROM secret_plans', error: expect.stringMatching(/secret_plans/) });
  });

  it('counts the server in the overview cost estimate by its reserved cpu and memory', async () => {
    const overview = await t.request('GET', ws('/monitoring/overview'));
    // 500m and 256Mi at the default prices (0.0405 per vCPU-hour, 0.0045 per GiB-hour), 730 hours.
    expect(overview.body.estimatedMonthlyCost, JSON.stringify(overview.body)).toBeGreaterThanOrEqual(15.6);
  });

  it('runs the server within its memory and cpu, where cgroups are on', async (ctx) => {
    if (!t.berth.runtime.isolation.cgroups) return ctx.skip();
    const root = fs.readdirSync('/sys/fs/cgroup/memory').find((dir) => dir.endsWith('-db') && fs.existsSync(`/sys/fs/cgroup/memory/${dir}/db-${db.id}`));
    const group = (controller: string) => `/sys/fs/cgroup/${controller}/${root}/db-${db.id}`;
    expect(fs.readFileSync(`${group('memory')}/memory.limit_in_bytes`, 'utf8').trim()).toBe(String(256 * 1024 * 1024));
    expect(fs.readFileSync(`${group('cpu')}/cpu.cfs_quota_us`, 'utf8').trim()).toBe('50000');
    expect(fs.readFileSync(`${group('memory')}/cgroup.procs`, 'utf8').trim().split('\n').length).toBeGreaterThan(1);
  });

  it('refuses a version the machine cannot run, provisioning nothing', async () => {
    const result = await t.request('POST', ws('/databases'), { body: { name: 'Old', slug: 'old-pg', engine: 'POSTGRES', version: '9' } });
    expectError(result, 400, 'version 9 of POSTGRES is not available on this machine (available: 15)');
    expectError(await t.request('GET', ws('/databases/old-pg')), 404, 'Database not found');
  });
});
