// Logs and alerts are durable: after Berth restarts on the same data dir the old lines are still
// there, the restarted app's new lines are added after them, and open alerts stay open.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';
import { createApp, deploy, scriptApp, waitFor, ws } from './support.js';

describe('telemetry across a restart of Berth', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-restart-'));
  let t: TestBerth | null = null;
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps stored lines and alerts, and appends the restarted app’s lines after them', async () => {
    t = await startTestBerth('sqlite', { dataDir, env: { BERTH_READY_TIMEOUT_MS: '4000' } });
    const app = await createApp(t, { name: 'Durable', slug: 'durable' });
    expect((await deploy(t, app.id, scriptApp(`say('boot ' + Date.now());`))).deployment.status).toBe('succeeded');
    const broken = await createApp(t, { name: 'Broken', slug: 'broken' });
    const dir = scriptApp('');
    fs.writeFileSync(path.join(dir, 'server.js'), 'process.exit(1);');
    expect((await deploy(t, broken.id, dir)).deployment.status).toBe('failed');
    const boots = async (b: TestBerth) =>
      (await b.request('GET', ws(b, `/monitoring/apps/${app.id}/logs?limit=1000`))).body.logs.filter((l: { message: string }) => l.message.startsWith('boot '));
    await waitFor('the first boot line', async () => (await boots(t!)).length === 1 || undefined);
    const alert = await waitFor('deploy_failed', async () => (await t!.request('GET', ws(t!, '/monitoring/alerts?resolved=false'))).body.find((a: { type: string }) => a.type === 'deploy_failed'));
    await t.close();
    t = null;

    t = await startTestBerth('sqlite', { dataDir });
    const both = await waitFor('a second boot line after the restart', async () => {
      const lines = await boots(t!);
      return lines.length === 2 ? lines : undefined;
    });
    expect(both[0].timestamp > both[1].timestamp).toBe(true);
    expect(both[0].message).not.toBe(both[1].message);
    const open = (await t.request('GET', ws(t, '/monitoring/alerts?resolved=false'))).body;
    expect(open.map((a: { id: string }) => a.id)).toContain(alert.id);
  });
});
