// BERTH_POSTGRES_BIN_DIR says where PostgreSQL's postgres and initdb are, as BERTH_*_BIN says where
// each helper program is: the one version it holds is the one POSTGRES offers, its servers run from
// it (and its pg_dump is preferred); one that holds no PostgreSQL is the user's clear answer.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { findPostgresIn } from '../../src/engine/databases/postgres-binaries.js';
import { expectError } from '../support/expect-error.js';
import { startTestBerth } from '../support/test-berth.js';
import { until } from '../e2e/support/edge-client.js';

const realBin = '/usr/lib/postgresql/15/bin';

describe('BERTH_POSTGRES_BIN_DIR', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-pg-bin-'));
  // The servers' user walks into it.
  fs.chmodSync(root, 0o755);
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
  const dir = (name: string, programs: Record<string, string>) => {
    const bin = path.join(root, name);
    fs.mkdirSync(bin, { recursive: true, mode: 0o755 });
    for (const [program, script] of Object.entries(programs)) fs.writeFileSync(path.join(bin, program), `#!/bin/sh\n${script}\n`, { mode: 0o755 });
    return bin;
  };

  it('offers the one version its postgres says it is', async () => {
    const bin = dir('v99', { postgres: 'echo "postgres (PostgreSQL) 99.3 (Someone 99.3-1)"', initdb: 'exit 0' });
    const install = await findPostgresIn(bin);
    expect([...install.versions]).toEqual([['99', bin]]);
    expect(install.missing).toBeNull();
  });

  it('says what is missing there, naming the variable', async () => {
    const bin = dir('no-initdb', { postgres: 'echo "postgres (PostgreSQL) 16.1"' });
    expect(await findPostgresIn(bin)).toMatchObject({
      versions: new Map(),
      missing: `initdb is not an executable file in ${bin} (BERTH_POSTGRES_BIN_DIR): point BERTH_POSTGRES_BIN_DIR at the directory holding PostgreSQL's postgres and initdb`,
    });
    const mute = dir('mute', { postgres: 'exit 1', initdb: 'exit 0' });
    expect((await findPostgresIn(mute)).missing).toBe(`${mute}/postgres --version did not say which PostgreSQL it is (BERTH_POSTGRES_BIN_DIR): point BERTH_POSTGRES_BIN_DIR at the directory holding PostgreSQL's postgres and initdb`);
  });

  it('refuses a relative directory at start', () => {
    expect(() => loadConfig({ BERTH_POSTGRES_BIN_DIR: 'pg/bin' })).toThrow(ConfigError);
    expect(() => loadConfig({ BERTH_POSTGRES_BIN_DIR: 'pg/bin' })).toThrow(/BERTH_POSTGRES_BIN_DIR/);
    expect(loadConfig({ BERTH_POSTGRES_BIN_DIR: '/opt/pg/bin/' }).databases.programs.postgresBinDir).toBe('/opt/pg/bin/');
  });

  it.runIf(process.getuid?.() === 0 && fs.existsSync(realBin))('runs POSTGRES databases from it, through the API; a directory without PostgreSQL is a 400 naming it', async () => {
    // Wrappers that note each run, then are the real programs.
    const ran = path.join(root, 'ran.log');
    fs.writeFileSync(ran, '', { mode: 0o666 });
    fs.chmodSync(ran, 0o666);
    const note = (program: string) => `echo "${program} $*" >> ${ran}\nexec ${realBin}/${program} "$@"`;
    const bin = dir('wrapped', { postgres: note('postgres'), initdb: note('initdb'), pg_dump: note('pg_dump') });
    const t = await startTestBerth('sqlite', { via: 'inject', env: { BERTH_DB_BACKUP_CRON: 'off', BERTH_POSTGRES_BIN_DIR: bin } });
    try {
      const ws = (p: string) => `/api/v1/workspaces/${t.workspaceId}${p}`;
      const created = await t.request('POST', ws('/databases'), { body: { name: 'pg', slug: 'pg', engine: 'POSTGRES', storageGb: 1, memory: '128Mi' } });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const running = await until(() => t.request('GET', ws(`/databases/${created.body.id}`)), (r) => r.body.status !== 'PROVISIONING', 60_000);
      expect(running.body.status, JSON.stringify(running.body)).toBe('RUNNING');
      expect((await t.request('POST', ws(`/databases/${created.body.id}/backups`))).status).toBe(201);
      const lines = fs.readFileSync(ran, 'utf8').split('\n');
      for (const program of ['postgres --version', 'initdb -D', 'postgres -D', 'pg_dump -h']) expect(lines.some((line) => line.startsWith(program)), program).toBe(true);
    } finally {
      await t.close();
    }

    const empty = dir('empty', {});
    const none = await startTestBerth('sqlite', { via: 'inject', env: { BERTH_DB_BACKUP_CRON: 'off', BERTH_POSTGRES_BIN_DIR: empty } });
    try {
      expectError(
        await none.request('POST', `/api/v1/workspaces/${none.workspaceId}/databases`, { body: { name: 'pg', slug: 'pg', engine: 'POSTGRES' } }),
        400,
        `engine POSTGRES is not available on this machine: postgres is not an executable file in ${empty} (BERTH_POSTGRES_BIN_DIR): point BERTH_POSTGRES_BIN_DIR at the directory holding PostgreSQL's postgres and initdb`,
      );
    } finally {
      await none.close();
    }
  });
});
