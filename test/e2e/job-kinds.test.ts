// Workers and cron apps as a user meets them, under a real Berth with real child processes: what
// the deploy log, the events, `berth deploy`/`status`/`apps` and the edge say of an app with no
// HTTP server, and that a worker runs only its serving revision (no warm standby taking jobs).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactDir } from '../support/app-fixtures.js';
import { runBerth } from '../support/berth-cli.js';
import { startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';
import { edgeRequest, until } from './support/edge-client.js';

function scriptApp(source: string): string {
  const dir = artifactDir();
  fs.writeFileSync(path.join(dir, 'main.js'), source);
  return dir;
}

describe('workers and cron apps', { timeout: 180_000 }, () => {
  let t: TestBerth;
  const ws = (rest: string) => `/api/v1/workspaces/${t.workspaceId}${rest}`;
  const berth = (args: string[], cwd?: string) => runBerth(args, { env: { BERTH_URL: t.url, BERTH_API_KEY: t.key, HOME: t.dataDir }, ...(cwd ? { cwd } : {}) });
  const deploy = async (appId: string, source: string, imageRef: string) =>
    t.berth.core.deployArtifact({ appId, artifactDir: scriptApp(source), command: ['/usr/bin/node', 'main.js'], imageRef, triggerType: 'MANUAL' });
  const rolloutMessages = async (appId: string) =>
    ((await t.request('GET', `/api/v1/apps/${appId}/events`)).body as { reason: string; message: string }[]).filter((e) => e.reason === 'RolloutSucceeded').map((e) => e.message);

  beforeAll(async () => {
    t = await startTestBerth('sqlite');
  });
  afterAll(async () => t?.close());

  it('says a worker runs and takes no HTTP traffic, keeps no old revision running, and answers its hostname honestly', async () => {
    const created = await berth(['create', 'queue', '--type', 'worker']);
    expect(created.stdout).toContain('a worker, it runs without a URL once deployed');
    const appId = (await t.request('GET', ws('/apps/queue'))).body.id as string;
    const first = await deploy(appId, 'setInterval(() => console.log("working"), 200);', 'dir:queue-1');
    expect(first.deployment.status).toBe('succeeded');
    expect(await rolloutMessages(appId)).toEqual(['queue-00001 is running (1 instance); a worker takes no HTTP traffic']);

    const page = await edgeRequest(t.berth.edgePort, 'queue.localhost');
    expect(page.status).toBe(503);
    expect(page.body).toContain('This app is a worker: it runs in the background and takes no HTTP requests');
    expect(page.body).not.toContain('Try again');

    // The old revision stops once the new one runs: kept warm, it would go on taking jobs.
    const second = await deploy(appId, 'setInterval(() => console.log("working v2"), 200);', 'dir:queue-2');
    expect(second.deployment.status).toBe('succeeded');
    const old = await until(
      async () => (await t.request('GET', ws(`/deploy/${first.deployment.id}/runtime-status`))).body,
      (s: { total: number }) => s.total === 0,
      20_000,
    );
    expect(old.total).toBe(0);
    const current = (await t.request('GET', ws(`/deploy/${second.deployment.id}/runtime-status`))).body;
    expect(current).toMatchObject({ phase: 'Running', ready: 1, total: 1 });

    const status = await berth(['status', 'queue']);
    expect(status.code).toBe(0);
    expect(status.stdout).not.toContain('URL:');
    expect(status.stdout).toContain('Type:        worker (takes no HTTP requests, so it has no URL)');
    expect(status.stdout).toMatch(/Runtime: +Running, 1\/1 instances ready, 0 restarts \(queue-00002\)/);
    expect(status.stdout).not.toMatch(/recent requests?|error rate/);
    const apps = await berth(['apps']);
    expect(apps.stdout).not.toContain('queue.localhost');
  });

  it('says when a cron app runs (UTC), shows its last and next run, and answers its hostname honestly', async () => {
    const created = await berth(['create', 'nightly', '--type', 'cron', '--schedule', '* * * * * *']);
    expect(created.stdout).toContain('a cron app, it runs on "* * * * * *" (UTC) once deployed');
    const appId = (await t.request('GET', ws('/apps/nightly'))).body.id as string;
    const result = await deploy(appId, 'console.log("ran"); process.exit(3);', 'dir:nightly-1');
    expect(result.deployment.status).toBe('succeeded');
    const [message] = await rolloutMessages(appId);
    expect(message).toMatch(/^nightly-00001 runs on the schedule "\* \* \* \* \* \*" \(UTC\); next run at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);

    const runs = await until(
      async () => (await t.request('GET', ws(`/apps/${appId}/cron-runs`))).body as { status: string }[],
      (list) => list.some((r) => r.status === 'failed'),
      20_000,
    );
    expect(runs.some((r) => r.status === 'failed')).toBe(true);
    const view = (await t.request('GET', ws(`/apps/${appId}`))).body;
    const pipeline = (await t.request('GET', ws(`/apps/${appId}/pipeline-state`))).body;
    expect(JSON.stringify(pipeline)).not.toContain('No replica is running');
    expect(Date.parse(view.nextRunAt)).toBeGreaterThan(result.deployment.createdAt.getTime());

    const page = await edgeRequest(t.berth.edgePort, 'nightly.localhost');
    expect(page.status).toBe(503);
    expect(page.body).toContain('This app is a cron job: it runs on a schedule and takes no HTTP requests');

    const status = await berth(['status', 'nightly']);
    expect(status.code).toBe(0);
    expect(status.stdout).not.toContain('URL:');
    expect(status.stdout).not.toContain('instances ready');
    expect(status.stdout).toContain('Schedule:    "* * * * * *" (UTC)');
    expect(status.stdout).toMatch(/Last run: +(failed, exit code 3 after [\d.]+ s, started \S+|running since \S+|skipped at \S+: the run before was still going) \(\w+\)/);
    expect(status.stdout).toMatch(/Next run: +\d{4}-\d\d-\d\dT/);
    expect(status.stdout).not.toContain('no recent requests');
  });

  it('ends `berth deploy` of a worker without a URL, its log saying what runs', async () => {
    await berth(['create', 'drain-jobs', '--type', 'worker']);
    const folder = fs.mkdtempSync(path.join(t.dataDir, 'drain-jobs-'));
    fs.writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ name: 'drain-jobs', version: '1.0.0', scripts: { start: 'node main.js' } }));
    fs.writeFileSync(path.join(folder, 'main.js'), 'setInterval(() => {}, 1000);\n');
    const deployed = await berth(['deploy', folder, '--app', 'drain-jobs']);
    expect(deployed.code, deployed.stderr).toBe(0);
    expect(deployed.stderr).toContain('[deploy] drain-jobs-00001 is running (1 instance); a worker takes no HTTP traffic');
    expect(deployed.stdout).toBe('');
  });
});
