// The `berth` command against a real Berth over HTTP: every command, its --json output and its
// exit codes; a folder deploy that leaves .gitignored node_modules home; a failing build exits 1.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { edgeRequest } from '../e2e/support/edge-client.js';
import { runBerth, spawnBerth } from '../support/berth-cli.js';
import type { CliOptions } from '../support/berth-cli.js';
import { startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';

const fixture = path.resolve(import.meta.dirname, '../fixtures/express-app');
const terminal = new Set(['succeeded', 'failed', 'cancelled']);

describe('the berth command', { timeout: 240_000 }, () => {
  let t: TestBerth;
  let home: string;
  let project: string;
  const env = () => ({ HOME: home, BERTH_CONFIG_DIR: path.join(home, 'config') });
  const berth = (args: string[], options: CliOptions = {}) => runBerth(args, { ...options, env: { ...env(), ...options.env } });
  const json = <T = any>(stdout: string): T => JSON.parse(stdout) as T;
  const ws = (rest: string) => `/api/v1/workspaces/${t.workspaceId}${rest}`;
  const host = (slug: string) => `${slug}.localhost`;
  const waitFor = async (deployId: string) => {
    for (let i = 0; i < 600; i += 1) {
      const d = (await t.request('GET', ws(`/deploy/${deployId}`))).body;
      if (terminal.has(d.status)) return d;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`deployment ${deployId} did not finish`);
  };

  beforeAll(async () => {
    t = await startTestBerth('sqlite', { env: { BERTH_ISOLATION: 'off', BERTH_READY_TIMEOUT_MS: '30000' } });
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-cli-home-'));
    // The Express sample, with a heavy .gitignored node_modules, a .berthignored file and a nested .gitignore.
    project = path.join(home, 'shop');
    fs.cpSync(fixture, project, { recursive: true });
    fs.writeFileSync(path.join(project, 'message.txt'), 'from-the-folder\n');
    fs.writeFileSync(path.join(project, '.gitignore'), 'node_modules/\n');
    fs.writeFileSync(path.join(project, '.berthignore'), 'message.txt\n');
    fs.mkdirSync(path.join(project, 'node_modules/heavy'), { recursive: true });
    fs.writeFileSync(path.join(project, 'node_modules/heavy/blob.bin'), randomBytes(6 * 1024 * 1024));
    fs.mkdirSync(path.join(project, 'assets'));
    fs.writeFileSync(path.join(project, 'assets/.gitignore'), '*.log\n');
    fs.writeFileSync(path.join(project, 'assets/debug.log'), 'not sent\n');
    fs.writeFileSync(path.join(project, 'assets/keep.txt'), 'sent\n');
  });
  afterAll(async () => {
    await t?.close();
    if (home) fs.rmSync(home, { recursive: true, force: true });
  });

  it('has --help on every command (exit 0) and documents the exit codes', async () => {
    const commands = [[], ['start'], ['login'], ['logout'], ['whoami'], ['apps'], ['create'], ['deploy'], ['logs'], ['status'], ['deploys'], ['env'], ['env', 'list'], ['env', 'set'], ['env', 'unset'], ['env', 'import'], ['scale'], ['traffic'], ['rollback'], ['restart'], ['open'], ['keys'], ['keys', 'create'], ['keys', 'revoke'],
      ['domains'], ['domains', 'list'], ['domains', 'add'], ['domains', 'verify'], ['domains', 'remove'],
      ['databases'], ['databases', 'create'], ['databases', 'info'], ['databases', 'attach'], ['databases', 'detach'], ['databases', 'query'], ['databases', 'delete']];
    const results = [];
    // A few at a time: each is a Node process of its own.
    for (let i = 0; i < commands.length; i += 4) results.push(...(await Promise.all(commands.slice(i, i + 4).map((command) => berth([...command, '--help'])))));
    results.forEach((result, i) => {
      expect(result.code, commands[i]?.join(' ')).toBe(0);
      // Its own usage line, not the parent's: the help of the command asked about.
      expect(result.stdout, commands[i]?.join(' ')).toMatch(new RegExp(`^Usage: berth${commands[i]?.map((word) => ` ${word}`).join('') ?? ''} `));
      expect(result.stderr, commands[i]?.join(' ')).toBe('');
    });
    expect(results[0]?.stdout).toContain('Exit codes: 0 ok, 1 the operation failed');
    // The statements the query help names are those the server lets through (engine/databases/postgres-query.ts).
    expect(results[commands.findIndex((c) => c.join(' ') === 'databases query')]?.stdout.replace(/\s+/g, ' ')).toContain('(SELECT, WITH, VALUES, TABLE, SHOW or EXPLAIN)');
  });

  it('exits 2 on bad usage and 3 when not logged in', async () => {
    const usage = await Promise.all([berth(['nope']), berth(['apps', '--bogus']), berth(['create']), berth(['logs', 'x', '--severity', 'LOUD']), berth([])]);
    for (const result of usage) expect(result.code).toBe(2);
    expect(usage[0]?.stderr).toContain("unknown command 'nope'");
    const notLoggedIn = await berth(['apps']);
    expect(notLoggedIn.code).toBe(3);
    expect(notLoggedIn.stderr).toContain('not logged in: run `berth login <url>`');
  });

  it('login refuses a bad key with the API message (3) and an unreachable Berth (6), then stores URL and key with mode 0600', async () => {
    const refused = await t.request('GET', '/api/v1/api-keys/whoami', { key: 'dor_sk_not-a-real-key' });
    const bad = await berth(['login', t.url, '--key', 'dor_sk_not-a-real-key']);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain(`berth: ${refused.body.message}`);
    const away = await berth(['login', 'http://127.0.0.1:1', '--key', t.key]);
    expect(away.code).toBe(6);
    expect(away.stderr).toContain('cannot reach Berth');
    expect(fs.existsSync(path.join(home, 'config/config.json'))).toBe(false);

    const good = await berth(['login', t.url, '--json'], { input: `${t.key}\n` });
    expect(good.code, good.stderr).toBe(0);
    expect(json(good.stdout)).toMatchObject({ url: t.url, workspaceId: t.workspaceId });
    const file = path.join(home, 'config/config.json');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ url: t.url, key: t.key, workspaceId: t.workspaceId });
    const who = await berth(['whoami', '--json']);
    expect(json(who.stdout)).toMatchObject({ workspaceId: t.workspaceId, url: t.url });
  });

  it('creates apps and lists them; a duplicate is refused (5) and an unknown app is not found (4), in the API words', async () => {
    const created = await berth(['create', 'Shop', '--json']);
    expect(created.code, created.stderr).toBe(0);
    expect(json(created.stdout)).toMatchObject({ slug: 'shop', type: 'web', visibility: 'public' });
    const again = await berth(['create', 'Shop']);
    expect(again.code).toBe(5);
    const direct = await t.request('POST', ws('/apps'), { body: { name: 'Shop', slug: 'shop' } });
    expect(again.stderr.trim()).toBe(`berth: ${direct.body.message}`);
    const apps = await berth(['apps', '--json']);
    expect(json(apps.stdout).data.map((a: { slug: string }) => a.slug)).toEqual(['shop']);
    const table = await berth(['apps']);
    expect(table.stdout).toMatch(/^SLUG\s+NAME\s+TYPE\s+STATUS\s+URL\nshop\s+Shop\s+web/);
    const missing = await berth(['status', 'no-such-app']);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toContain('berth: App not found');
  });

  it('deploys a folder: packs it without .gitignored and .berthignored files, streams the build log, prints the URL', async () => {
    const deployed = await berth(['deploy', project, '--app', 'shop'], { timeoutMs: 240_000 });
    expect(deployed.code, deployed.stderr).toBe(0);
    const app = (await t.request('GET', ws('/apps/shop'))).body;
    expect(deployed.stdout.trim()).toBe(app.url);
    expect(deployed.stderr).toContain('Packed 7 files');
    expect(deployed.stderr).toContain('[plan] Detected a Node.js project');
    expect(deployed.stderr).toContain('shop-00001 is ready');
    // Berth received 7 entries and about 26 KB, not the 6 MiB node_modules.
    const logs = (await t.request('GET', ws(`/deploy/${app.latestDeployment.id}/logs`))).body.logs.join('\n');
    const source = /\[source\] (\d+) entries, (\d+) bytes/.exec(logs);
    expect(Number(source?.[1])).toBe(7);
    expect(Number(source?.[2])).toBeLessThan(100_000);
    const answer = await edgeRequest(t.berth.edgePort, host('shop'));
    expect(JSON.parse(answer.body)).toMatchObject({ message: 'hello', revision: 'shop-00001' });
  });

  it('env list/set/unset/import with --json, and --sync rolls the app onto the new values', async () => {
    fs.writeFileSync(path.join(home, 'app.env'), '# settings\nA=1\nexport B="two words"\n');
    const imported = await berth(['env', 'import', 'shop', path.join(home, 'app.env'), '--json']);
    expect(imported.code, imported.stderr).toBe(0);
    expect(json(imported.stdout).map((v: { key: string; value: string }) => [v.key, v.value])).toEqual([
      ['A', '1'],
      ['B', 'two words'],
    ]);
    const secret = await berth(['env', 'set', 'shop', 'TOKEN=s3cret', '--secret']);
    expect(secret.code).toBe(0);
    // Nothing restarted: the CLI says the running app still has the old values.
    expect(secret.stderr).toContain('The running app keeps its current values until its next deploy');
    expect((await berth(['env', 'unset', 'shop', 'A'])).code).toBe(0);
    const nope = await berth(['env', 'unset', 'shop', 'NOPE']);
    expect(nope.code).toBe(4);
    expect(nope.stderr).toContain('no such env var: NOPE');
    expect((await berth(['env', 'set', 'shop', 'no-equals'])).code).toBe(2);
    const sync = await berth(['env', 'set', 'shop', 'GREETING=hi', '--sync']);
    expect(sync.code, sync.stderr).toBe(0);
    const listed = json((await berth(['env', 'list', 'shop', '--json'])).stdout) as { key: string; value: string; isSecret: boolean }[];
    expect(listed.map((v) => v.key).sort()).toEqual(['B', 'GREETING', 'TOKEN']);
    expect(listed.find((v) => v.key === 'TOKEN')).toMatchObject({ isSecret: true });
    expect(listed.find((v) => v.key === 'TOKEN')?.value).not.toContain('s3cret');
    const syncId = /deployment (dep_\w+)/.exec(sync.stderr)?.[1] ?? '';
    expect((await waitFor(syncId)).status).toBe('succeeded');
    expect(JSON.parse((await edgeRequest(t.berth.edgePort, host('shop'))).body)).toMatchObject({ greeting: 'hi', revision: 'shop-00002' });
  });

  it('traffic shows revisions, sets a split with a tag whose URL answers, and promotes', async () => {
    const split = await berth(['traffic', 'shop', 'shop-00001=50', 'shop-00002=50:canary', '--json']);
    expect(split.code, split.stderr).toBe(0);
    expect(json(split.stdout).splits).toHaveLength(2);
    const shown = json((await berth(['traffic', 'shop', '--json'])).stdout) as { revisionName: string; trafficPercent: number; tag: string | null; url: string | null }[];
    const canary = shown.find((r) => r.revisionName === 'shop-00002');
    expect(canary).toMatchObject({ trafficPercent: 50, tag: 'canary', url: `http://canary---shop.localhost:${t.berth.edgePort}` });
    expect(JSON.parse((await edgeRequest(t.berth.edgePort, 'canary---shop.localhost')).body)).toMatchObject({ revision: 'shop-00002' });
    expect((await berth(['traffic', 'shop', 'shop-00001=abc'])).code).toBe(2);
    const refused = await berth(['traffic', 'shop', 'shop-00001=60', 'shop-00002=60']);
    expect(refused.code).toBe(5);
    expect((await berth(['traffic', 'shop', '--promote', 'shop-00002'])).code).toBe(0);
    expect((await berth(['traffic', 'shop'])).stdout).toMatch(/shop-00002\s+\w+\s+100%\s+1\/1 ready/);
  });

  it('rollback returns to the previous succeeded deployment and waits until it serves', async () => {
    const back = await berth(['rollback', 'shop', '--json'], { timeoutMs: 120_000 });
    expect(back.code, back.stderr).toBe(0);
    expect(json(back.stdout)).toMatchObject({ status: 'succeeded', triggerType: 'ROLLBACK', revisionName: 'shop-00003' });
    expect(back.stderr).toMatch(/Rolling back to dep_\w+/);
    expect(JSON.parse((await edgeRequest(t.berth.edgePort, host('shop'))).body)).toMatchObject({ revision: 'shop-00003', message: 'hello' });
    const first = (await t.request('GET', ws('/deploy?appId=shop&status=succeeded&limit=10'))).body.data.at(-1);
    expect(json(back.stdout).rolledBackFrom).toBe(first.id);
  });

  it('scale, status and logs (with -f following live lines) print JSON for scripts', async () => {
    const scaled = await berth(['scale', 'shop', '2', '--json']);
    expect(scaled.code, scaled.stderr).toBe(0);
    expect(json(scaled.stdout).scale).toMatchObject({ requestedReplicas: 2 });
    const status = json((await berth(['status', 'shop', '--json'])).stdout);
    expect(status.app).toMatchObject({ slug: 'shop', replicas: 2 });
    expect(status.runtime).toMatchObject({ revisionName: expect.stringMatching(/^shop-0000/) });
    expect(['healthy', 'degraded', 'unhealthy', 'unknown']).toContain(status.health.status);
    const text = await berth(['status', 'shop']);
    expect(text.stdout).toMatch(/^App:\s+Shop \(shop, app_/);
    // Two replicas set by hand: bounds of 1–1 are not an autoscaling range.
    expect(text.stdout).toMatch(/^Replicas:\s+2 \(autoscaling off\)$/m);

    const logs = await berth(['logs', 'shop', '--json']);
    const entries = logs.stdout.trim().split('\n').map((line) => JSON.parse(line) as { message: string; severity: string });
    expect(entries.some((e) => e.message === 'listening' && e.severity === 'INFO')).toBe(true);
    expect((await berth(['logs', 'shop', '--severity', 'CRITICAL', '--json'])).stdout).toBe('');
    // The deployments, newest first, with the ids rollback takes.
    const deploys = await berth(['deploys', 'shop', '-n', '5']);
    expect(deploys.code, deploys.stderr).toBe(0);
    expect(deploys.stdout).toMatch(/^ID\s+STATUS\s+REVISION\s+TRIGGER\s+CREATED\s+TOOK\s+WHAT$/m);
    expect(deploys.stdout).toMatch(/^dep_\S+\s+succeeded\s+shop-0000\d\s+MANUAL\s+\S+Z\s+\d+ s/m);
    expect((await berth(['deploys', 'shop', '-n', '0'])).code).toBe(2);
    // As text, each line names the instance (and so the revision) that wrote it.
    expect((await berth(['logs', 'shop'])).stdout).toMatch(/^\S+Z INFO {5}\[shop-0000\d-[0-9a-f]+\] listening$/m);

    const follow = spawnBerth(['logs', 'shop', '-f', '--limit', '0', '--json'], { env: env() });
    let followed = '';
    follow.stdout?.on('data', (chunk: Buffer) => (followed += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => follow.once('exit', resolve));
    try {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect((await berth(['scale', 'shop', '3'])).code).toBe(0);
      for (let i = 0; i < 120 && !followed.includes('listening'); i += 1) await new Promise((resolve) => setTimeout(resolve, 250));
      expect(JSON.parse(followed.trim().split('\n')[0] ?? '{}')).toMatchObject({ message: 'listening', severity: 'INFO' });
    } finally {
      follow.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  });

  it('restart replaces each instance with a new one, and names an unknown app in the API words (4)', async () => {
    const restarted = await berth(['restart', 'shop']);
    expect(restarted.code, restarted.stderr).toBe(0);
    const lines = restarted.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(1);
    for (const line of lines) expect(line).toMatch(/^shop-0000\d-[0-9a-f]+ → shop-0000\d-[0-9a-f]+$/);
    expect((await edgeRequest(t.berth.edgePort, host('shop'))).status).toBe(200);
    const unknown = await berth(['restart', 'nope']);
    expect(unknown.code).toBe(4);
    expect(unknown.stderr).toContain('berth: App not found');
  });

  it('keys lists and creates keys; a key without a scope is refused (3) with the API message', async () => {
    const keys = json((await berth(['keys', '--json'])).stdout) as { name: string }[];
    expect(keys.map((k) => k.name)).toContain('admin (bootstrap)');
    const created = await berth(['keys', 'create', 'reader', '--scopes', 'apps:read', '--json']);
    expect(created.code, created.stderr).toBe(0);
    const reader = json(created.stdout) as { id: string; key: string };
    const refused = await berth(['env', 'list', 'shop'], { env: { BERTH_API_KEY: reader.key } });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/berth: .*env-vars:read/);
    expect((await berth(['apps'], { env: { BERTH_API_KEY: reader.key } })).code).toBe(0);
    expect((await berth(['keys', 'revoke', reader.id])).code).toBe(0);
    expect((await berth(['apps'], { env: { BERTH_API_KEY: reader.key } })).code).toBe(3);
  });

  it("open prints the app's URL and hands it to the browser", async () => {
    const printed = await berth(['open', 'shop', '--print']);
    const url = `http://shop.localhost:${t.berth.edgePort}`;
    expect(printed.stdout.trim()).toBe(url);
    const consolePage = await berth(['open', 'shop', '--console', '--print']);
    expect(consolePage.stdout.trim()).toMatch(new RegExp(`^${t.url}/apps/app_`));
    const browser = path.join(home, 'browser.sh');
    const opened = path.join(home, 'opened.txt');
    fs.writeFileSync(browser, `#!/bin/sh\necho "$1" > ${opened}\n`, { mode: 0o755 });
    const run = await berth(['open', 'shop'], { env: { BROWSER: browser } });
    expect(run.code, run.stderr).toBe(0);
    for (let i = 0; i < 40 && !fs.existsSync(opened); i += 1) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fs.readFileSync(opened, 'utf8').trim()).toBe(url);
  });

  it('a failing build exits 1 with the failure, after streaming its log', async () => {
    const broken = path.join(home, 'broken');
    fs.mkdirSync(broken);
    fs.writeFileSync(path.join(broken, 'package.json'), JSON.stringify({ name: 'broken', version: '1.0.0', scripts: { build: 'echo compiling && exit 3', start: 'node -e 0' } }));
    expect((await berth(['create', 'broken'])).code).toBe(0);
    const failed = await berth(['deploy', broken, '--json'], { timeoutMs: 180_000 });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('compiling');
    expect(failed.stderr).toMatch(/berth: deployment dep_\w+ failed: /);
    expect(json(failed.stdout)).toMatchObject({ status: 'failed' });
    // status says why the last deploy failed, and no figures for a health nobody measured.
    const status = await berth(['status', 'broken']);
    const why = /^Why:\s+(.+)$/m.exec(status.stdout)?.[1] ?? '';
    expect(why).toBe(json(failed.stdout).error);
    expect(status.stdout).toMatch(/^Health:\s+unknown \(/m);
  });
});
