// A secret env var's value is never in plain text: not in an answer, not in any file of the
// data dir (SQLite's berth.db and its WAL), not in any PostgreSQL row, not in Berth's log output.
// Berth runs as its own process here, at the most verbose log level, so its output is all there.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBerthProcess } from '../support/berth-process.js';
import type { BerthProcess } from '../support/berth-process.js';
import { backends } from '../support/test-berth.js';

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : entry.isFile() ? [full] : [];
  });
}

function filesContaining(dir: string, text: string): string[] {
  const needle = Buffer.from(text, 'utf8');
  return filesUnder(dir).filter((file) => fs.readFileSync(file).includes(needle));
}

/** Every row of every table, as text. */
async function postgresRows(databaseUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const tables = await client.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
    );
    const rows: string[] = [];
    for (const { table_name: table } of tables.rows) {
      const result = await client.query<{ row: string }>(`SELECT t::text AS row FROM "${table.replace(/"/g, '""')}" t`);
      rows.push(...result.rows.map((r) => r.row));
    }
    return rows.join('\n');
  } finally {
    await client.end();
  }
}

describe.each(backends)('secret env vars on %s', (backend) => {
  let berth: BerthProcess;
  const secret = `s3cret-${crypto.randomBytes(12).toString('hex')}`;
  const plainMarker = `plain-${crypto.randomBytes(12).toString('hex')}`;
  const answers: string[] = [];

  async function call(method: string, urlPath: string, body?: unknown) {
    const response = await fetch(berth.url + urlPath, {
      method,
      headers: {
        authorization: `Bearer ${berth.key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    answers.push(text);
    return { status: response.status, body: text === '' ? null : (JSON.parse(text) as any) };
  }

  beforeAll(async () => {
    berth = await startBerthProcess(backend, { BERTH_LOG_LEVEL: 'trace' });
  });
  afterAll(async () => {
    await berth?.stop();
    await berth?.cleanup();
  });

  it('stores, answers and logs it only sealed or masked', async () => {
    const ws = (await call('GET', '/api/v1/api-keys/whoami')).body.workspaceId as string;
    const base = `/api/v1/workspaces/${ws}/apps/secret-app`;
    expect(
      (await call('POST', `/api/v1/workspaces/${ws}/apps`, { name: 'Secret app', slug: 'secret-app' })).status,
    ).toBe(201);
    expect((await call('POST', `${base}/env-vars`, { key: 'DB_PASSWORD', value: secret, isSecret: true })).status).toBe(
      201,
    );
    expect((await call('POST', `${base}/env-vars`, { key: 'PLAIN', value: plainMarker })).status).toBe(201);
    const bulk = {
      vars: [
        { key: 'API_TOKEN', value: `${secret}-bulk`, isSecret: true },
        { key: 'DB_PASSWORD', value: `${secret}-v2`, isSecret: true },
      ],
    };
    expect((await call('POST', `${base}/env-vars/bulk`, bulk)).status).toBe(200);
    // Refused requests carrying the secret must not echo or log it either.
    expect(
      (await call('POST', `${base}/env-vars/bulk`, { vars: [{ key: '1BAD', value: secret, isSecret: true }] })).status,
    ).toBe(400);
    expect((await call('POST', `${base}/env-vars`, `{"key":"DB_PASSWORD","value":"${secret}",`)).status).toBe(400);
    expect((await call('POST', `${base}/env-vars`, { key: 'PORT', value: secret, isSecret: true })).status).toBe(400);
    const listed = await call('GET', `${base}/env-vars`);
    expect(listed.body.map((v: { key: string; value: string }) => [v.key, v.value])).toEqual([
      ['API_TOKEN', '********'],
      ['DB_PASSWORD', '********'],
      ['PLAIN', plainMarker],
    ]);
    expect(answers.filter((answer) => answer.includes(secret))).toEqual([]);

    await berth.stop();

    const output = berth.output();
    expect(output).toContain('incoming request');
    expect(output).toContain('/env-vars');
    expect(output).not.toContain(secret);

    // The same scan finds a plain value, so an empty result below means sealed, not unscanned.
    if (backend === 'sqlite') {
      expect(filesContaining(berth.dataDir, plainMarker).map((file) => path.basename(file))).toContain('berth.db');
    } else {
      expect(await postgresRows(berth.databaseUrl ?? '')).toContain(plainMarker);
    }
    expect(filesContaining(berth.dataDir, secret)).toEqual([]);
    if (berth.databaseUrl) expect(await postgresRows(berth.databaseUrl)).not.toContain(secret);
  });
});
