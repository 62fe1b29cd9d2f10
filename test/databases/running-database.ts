// A database created through the API and waited for until it is RUNNING (the backup tests' start),
// and a Berth that keeps its data dir across restarts (the damaged-at-start tests').
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect } from 'vitest';
import { startTestBerth, type TestBerth } from '../support/test-berth.js';
import { until } from '../e2e/support/edge-client.js';

export async function runningDatabase(t: TestBerth, engine: string, slug: string): Promise<{ id: string }> {
  const ws = (p: string) => `/api/v1/workspaces/${t.workspaceId}${p}`;
  const created = (await t.request('POST', ws('/databases'), { body: { name: slug, slug, engine, storageGb: 1, memory: '128Mi' } })).body;
  const running = await until(() => t.request('GET', ws(`/databases/${created.id}`)), (r) => r.body.status !== 'PROVISIONING', 60_000);
  expect(running.body.status, JSON.stringify(running.body)).toBe('RUNNING');
  return created as { id: string };
}

/**
 * A Berth (SQLite, in process) on a data dir of the test's own that outlives its restarts;
 * afterAll closes the one running and removes the dir. No scheduled backups.
 */
export function restartableBerth(prefix: string) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  let running: TestBerth | null = null;
  afterAll(async () => {
    try {
      await running?.close();
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
  return {
    dataDir,
    async start(): Promise<TestBerth> {
      running = await startTestBerth('sqlite', { via: 'inject', dataDir, env: { BERTH_DB_BACKUP_CRON: 'off' } });
      return running;
    },
    async stop(): Promise<void> {
      await running?.close();
      running = null;
    },
  };
}

