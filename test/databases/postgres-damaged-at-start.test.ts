// POSTGRES databases whose data dir was spoilt before Berth stopped (a setting postgres cannot
// read in postgresql.conf; a data dir of another PostgreSQL version; one that lost PG_VERSION, which
// is never wiped as if new): at the next start postgres
// refuses it, and each database says so (FAILED, in postgres's own FATAL line, without Berth's data
// dir) as soon as postgres has exited, not after the 30 s start deadline; a request that needs the
// server answers 409 (503 while its start is under way) with the same reason.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { until } from '../e2e/support/edge-client.js';
import { expectError } from '../support/expect-error.js';
import { restartableBerth, runningDatabase } from './running-database.js';

describe.runIf(process.getuid?.() === 0 && fs.existsSync('/usr/lib/postgresql/15/bin/postgres'))('POSTGRES databases whose data dir was spoilt, at the next start', () => {
  const berth = restartableBerth('berth-pg-damaged-');
  const { dataDir } = berth;

  it("fail at the next start with postgres's reason", async () => {
    let t = await berth.start();
    const badSetting = await runningDatabase(t, 'POSTGRES', 'bad-setting');
    const foreign = await runningDatabase(t, 'POSTGRES', 'foreign');
    const lost = await runningDatabase(t, 'POSTGRES', 'lost-version');
    // Both files are read at start only (the volumes are mounted while Berth runs).
    const pgdata = (id: string, file: string) => path.join(dataDir, 'volumes', id, 'data', 'pgdata', file);
    fs.appendFileSync(pgdata(badSetting.id, 'postgresql.conf'), '\nthis is not a setting\n');
    fs.writeFileSync(pgdata(foreign.id, 'PG_VERSION'), '14\n');
    // A data dir that lost its PG_VERSION is refused, never taken for a new one and wiped.
    fs.rmSync(pgdata(lost.id, 'PG_VERSION'));
    const lostFiles = fs.readdirSync(pgdata(lost.id, 'base'), { recursive: true }).length;
    await berth.stop();

    const started = performance.now();
    t = await berth.start();
    const ws = (p: string) => `/api/v1/workspaces/${t.workspaceId}${p}`;
    // Asked while Berth starts its server again (503: the start meets postgres's refusal) or once it has failed (409).
    const early = t.request('POST', ws(`/databases/${foreign.id}/query`), { body: { sql: 'SELECT 1' } });
    const failed = async (id: string) => {
      const answer = await until(() => t.request('GET', ws(`/databases/${id}`)), (r) => r.body.status !== 'RUNNING', 60_000, 50);
      process.stdout.write(`POSTGRES database ${id} failed ${Math.round(performance.now() - started)} ms after Berth started\n`);
      expect(JSON.stringify(answer.body)).not.toContain(dataDir);
      return answer.body as { status: string; statusMessage: string };
    };
    const [setting, version, missing] = await Promise.all([failed(badSetting.id), failed(foreign.id), failed(lost.id)]);
    expect(missing.status).toBe('FAILED');
    expect(missing.statusMessage).toMatch(/^postgres exited before it served: .*PG_VERSION/);
    expect(fs.readdirSync(pgdata(lost.id, 'base'), { recursive: true }).length).toBe(lostFiles);
    expect(setting.status).toBe('FAILED');
    expect(setting.statusMessage).toMatch(
      /^postgres exited before it served: syntax error in file "\/mnt\/pgdata\/postgresql\.conf" line \d+, near token "not" FATAL: configuration file "\/mnt\/pgdata\/postgresql\.conf" contains errors$/,
    );
    expect(version.status).toBe('FAILED');
    expect(version.statusMessage).toMatch(
      /^postgres exited before it served: FATAL: database files are incompatible with server DETAIL: The data directory was initialized by PostgreSQL version 14, which is not compatible with this version 15\.\d+/,
    );

    const meanwhile = await early;
    process.stdout.write(`a query sent as Berth started answered ${meanwhile.status}\n`);
    expect([409, 503]).toContain(meanwhile.status);
    expect(meanwhile.body.message).toContain(version.statusMessage);

    const query = await t.request('POST', ws(`/databases/${badSetting.id}/query`), { body: { sql: 'SELECT 1' } });
    expectError(query, 409, `Database is not RUNNING (it FAILED: ${setting.statusMessage})`);
    const status = await t.request('GET', ws(`/databases/${foreign.id}/status`));
    expect(status.body).toMatchObject({ readyInstances: 0, message: version.statusMessage });
  }, 180_000);
});
