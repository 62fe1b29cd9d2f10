// The web console while things change under it, in Chromium against a real Berth: the overview
// and the deployment list follow the revision that serves traffic (not a warm older one; no
// rollback to what already serves), a pasted .env names the lines it skipped, log lines read in the
// browser's time zone like the From/To filters, a slug the API would refuse and an emptied replicas field are
// refused in the form, a key revoked while signed in ends the session with the reason, a deleted app's page
// says so and leads back, an app can be deleted from its page, API keys made and revoked; a cancelled deployment is no error, an unknown one waits for no log.
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForDeployment } from '../build/support.js';
import { inPage, launchChromium, unlabelledControls } from '../support/console-browser.js';
import { startGitServer } from '../support/git-http-server.js';
import type { GitServer } from '../support/git-http-server.js';
import { startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');

/** `npm run build`'s console step (skipped when web/dist is up to date). */
function buildConsole(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/build-web.ts'], {
      cwd: repoRoot,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the console build exited with ${code}`))));
  });
}

const serverJs = `const http = require('node:http');
http.createServer((req, res) => {
  console.log('INFO request ' + req.url);
  res.end(process.env.BERTH_REVISION || '');
}).listen(Number(process.env.PORT || 3000));
`;

describe('the web console while things change', { timeout: 240_000 }, () => {
  let t: TestBerth;
  let git: GitServer;
  let chromium: Awaited<ReturnType<typeof launchChromium>>;
  let browser: Browser;
  let app: { id: string; url: string };
  const contexts: BrowserContext[] = [];
  const api = (method: string, urlPath: string, body?: unknown) =>
    t.request(method, `/api/v1/workspaces/${t.workspaceId}${urlPath}`, body === undefined ? {} : { body });

  async function deployAndWait(appId: string): Promise<string> {
    const started = await api('POST', '/deploy', { appId });
    expect(started.status).toBe(201);
    const done = await waitForDeployment(t, started.body.id);
    expect(done.status).toBe('succeeded');
    return done.revisionName;
  }

  /** A new page in a context of its own (own sessionStorage, own time zone), signed in with `key`. */
  async function signedIn(key: string, timezoneId = 'UTC'): Promise<Page> {
    const context = await browser.newContext({ timezoneId, viewport: { width: 1280, height: 800 } });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(t.url);
    await page.getByLabel('API key').fill(key);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Apps' }).waitFor();
    return page;
  }

  beforeAll(async () => {
    await buildConsole();
    git = await startGitServer();
    t = await startTestBerth('sqlite', {
      env: {
        BERTH_ALLOW_PRIVATE_NETWORKS: '1',
        BERTH_ISOLATION: 'off',
        BERTH_READY_TIMEOUT_MS: '30000',
        BERTH_HEALTH_INTERVAL_MS: '1000',
      },
    });
    const repo = git.createRepo('zones', { 'server.js': serverJs, Procfile: 'web: node server.js\n' });
    app = (
      await api('POST', '/apps', {
        name: 'Zones',
        slug: 'zones',
        visibility: 'public',
        gitRepoUrl: repo.url,
        gitBranch: 'main',
      })
    ).body;
    await deployAndWait(app.id);
    await deployAndWait(app.id);
    chromium = await launchChromium();
    browser = chromium.browser;
  }, 240_000);
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await chromium?.close();
    await t?.close();
    await git?.close();
  });

  it('refuses a slug the API would refuse in the form, before anything is sent', async () => {
    const page = await signedIn(t.key);
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    await page.goto(`${t.url}/apps/new`);
    await page.getByLabel('Name').fill('Bad slug');
    await page.getByLabel("Slug (in the app's URL)").fill('Bad_Slug-');
    await page.getByRole('button', { name: 'Create and deploy' }).click();
    expect(await inPage(page, 'document.getElementById("app-slug").validity.patternMismatch')).toBe(true);
    expect(consoleErrors.filter((text) => text.includes('regular expression'))).toEqual([]);
    await page.getByLabel("Slug (in the app's URL)").fill('good-slug');
    expect(await inPage(page, 'document.getElementById("app-slug").validity.patternMismatch')).toBe(false);
    expect((await api('GET', '/apps')).body.data.map((a: { slug: string }) => a.slug)).toEqual(['zones']);
  });

  it('refuses an emptied replicas field instead of taking it for 0 and stopping the app', async () => {
    const page = await signedIn(t.key);
    await page.goto(`${t.url}/apps/${app.id}/scale`);
    await page.getByLabel('Replicas (0 stops the app, at most 10)').fill('');
    await page.getByRole('button', { name: 'Scale', exact: true }).click();
    expect(await inPage(page, 'document.getElementById("replicas").validity.valueMissing')).toBe(true);
    await page.getByLabel('Memory limit (MiB)').fill('');
    await page.getByRole('button', { name: 'Save settings' }).click();
    expect(await inPage(page, 'document.getElementById("scale-memoryLimitMi").validity.valueMissing')).toBe(true);
    expect((await api('GET', `/apps/${app.id}`)).body).toMatchObject({ replicas: 1, memoryLimitMi: 512 });
  });

  it('shows the runtime of the revision that serves traffic, through a promote of an older one', async () => {
    const page = await signedIn(t.key);
    await page.goto(`${t.url}/apps/${app.id}/overview`);
    const runtime = page.locator('.card').filter({ has: page.getByRole('heading', { name: 'Runtime' }) });
    await expect.poll(() => runtime.innerText(), { timeout: 15_000 }).toMatch(/Revision\s+zones-00002/);
    expect((await api('POST', '/deploy/revisions/zones-00001/promote')).status).toBe(200);
    // zones-00002 keeps running warm; the card must move to the revision that now serves.
    await expect.poll(() => runtime.innerText(), { timeout: 20_000 }).toMatch(/Revision\s+zones-00001/);
    expect(await runtime.innerText()).toMatch(/1 ready of 1 \(desired 1\)/);
    // The health card tells the warm instances apart from the serving ones, as the API counts them.
    await expect
      .poll(async () => (await api('GET', `/monitoring/apps/${app.id}/health`)).body.warmInstances, { timeout: 30_000 })
      .toBeGreaterThan(0);
    const health = (await api('GET', `/monitoring/apps/${app.id}/health`)).body;
    await page.reload();
    await page
      .getByText(`${health.instanceCount} serving, ${health.warmInstances} more kept warm for rollback`)
      .waitFor({ timeout: 15_000 });
  });

  it('marks the deployment that serves, offers no rollback to it, and one to the others', async () => {
    expect((await api('POST', '/deploy/revisions/zones-00001/promote')).status).toBe(200);
    const page = await signedIn(t.key);
    await page.goto(`${t.url}/apps/${app.id}/deployments`);
    const serving = page.getByRole('row').filter({ hasText: 'zones-00001' });
    await serving.getByText('serves 100 % of traffic').waitFor();
    expect(await serving.getByRole('button').count()).toBe(0);
    await page.getByRole('button', { name: 'Roll back to zones-00002' }).waitFor();
    await serving.getByRole('link', { name: 'zones-00001' }).click();
    await page.getByText('zones-00001 serves all the traffic.').waitFor();
    expect(await page.getByRole('button', { name: 'Roll back to this deployment' }).count()).toBe(0);
  });

  it('says which lines of a pasted .env were not read', async () => {
    const page = await signedIn(t.key);
    await page.goto(`${t.url}/apps/${app.id}/env`);
    await page.getByLabel('.env contents (KEY=value per line; # comments)').fill('FIRST=1\nthis is not a variable\n# a comment\nSECOND=2\n');
    await page.getByRole('button', { name: 'Import variables' }).click();
    await page.getByText('2 variables saved; line 2 not read (not KEY=value).').waitFor();
    const vars = (await api('GET', `/apps/${app.id}/env-vars`)).body.map((v: { key: string }) => v.key);
    expect(vars.sort()).toEqual(['FIRST', 'SECOND']);
  });

  it('shows log lines in the browser time zone, as the From and To fields read it', async () => {
    const page = await signedIn(t.key, 'America/New_York');
    await page.goto(`${t.url}/apps/${app.id}/logs`);
    await page.getByText('following live').waitFor();
    const visit = await page.context().newPage();
    await visit.goto(`${app.url}/tz-check`);
    await visit.close();
    const line = page.getByRole('log').locator('.log-line').filter({ hasText: 'INFO request /tz-check' });
    await line.waitFor({ timeout: 30_000 });
    const stored = (await api('GET', `/monitoring/apps/${app.id}/logs?limit=100`)).body.logs.find(
      (l: { message: string }) => l.message === 'INFO request /tz-check',
    );
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-US', {
        timeZone: 'America/New_York',
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      })
        .formatToParts(new Date(stored.timestamp))
        .map((p) => [p.type, p.value]),
    );
    const local = `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}.${stored.timestamp.slice(20, 23)}`;
    expect(await line.locator('time').innerText()).toBe(local);
    await page.getByText('Times are in your time zone (America/New_York)').waitFor();
  });

  it('says the day of its deploy count is a UTC day, to a reader in another zone', async () => {
    const page = await signedIn(t.key, 'America/New_York');
    await page.getByRole('link', { name: 'Overview' }).click();
    const overview = (await api('GET', '/monitoring/overview')).body;
    const card = page.locator('.card').filter({ has: page.getByRole('heading', { name: 'Deploys since 00:00 UTC' }) });
    expect(await card.locator('.stat').innerText()).toBe(`${overview.deploysToday} (${overview.failedBuildsToday} failed builds)`);
  });

  it('makes an API key shown once with the chosen scopes, and revokes it', async () => {
    const page = await signedIn(t.key);
    await page.getByRole('link', { name: 'API keys' }).click();
    await page.getByRole('heading', { name: 'API keys' }).waitFor();
    await page.getByText('this browser tab signed in with it').waitFor();
    expect(await unlabelledControls(page)).toEqual([]);
    await page.getByLabel('Name').fill('ci deploys');
    await page.getByRole('checkbox', { name: 'apps:read read apps' }).check();
    await page.getByRole('checkbox', { name: 'deploy:write deploy, scale' }).check();
    await page.getByRole('button', { name: 'Create key' }).click();
    const shown = await page.getByRole('status').filter({ hasText: 'shown once' }).locator('code').innerText();
    const who = await t.request('GET', '/api/v1/api-keys/whoami', { key: shown });
    expect(who.status).toBe(200);
    expect(who.body.scopes.sort()).toEqual(['apps:read', 'deploy:write']);
    const made = (await api('GET', '/api-keys')).body.find((k: { name: string }) => k.name === 'ci deploys');
    await page.getByRole('button', { name: `Revoke ci deploys (${made.keyPrefix})` }).click();
    await expect.poll(() => page.getByRole('cell', { name: 'ci deploys' }).count()).toBe(0);
    expect((await t.request('GET', '/api/v1/api-keys/whoami', { key: shown })).status).toBe(401);
  });

  it('ends the session with the reason when the signed-in key is revoked', async () => {
    const made = (await api('POST', '/api-keys', { name: 'short-lived', scopes: ['apps:read', 'monitoring:read'] }))
      .body;
    const page = await signedIn(made.key);
    expect((await t.request('DELETE', `/api/v1/workspaces/${t.workspaceId}/api-keys/${made.id}`)).status).toBe(204);
    // The next read with the key (here opening the overview; any background refresh does the same) ends the session.
    await page.goto(`${t.url}/overview`);
    await page.getByLabel('API key').waitFor({ timeout: 15_000 });
    const refused = await t.request('GET', '/api/v1/api-keys/whoami', { key: made.key });
    expect(await page.getByRole('status').innerText()).toContain(
      `Berth refused your API key (${refused.body.message})`,
    );
    expect(await inPage(page, 'Object.keys(sessionStorage)')).toEqual([]);
    // Signing in again with a good key lands back where the user was.
    await page.getByLabel('API key').fill(t.key);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Workspace overview' }).waitFor();
  });

  it('a deployment cancelled while it builds reads as cancelled, not as an error', async () => {
    const slowRepo = git.createRepo('slow-build', { 'server.js': serverJs, 'package.json': JSON.stringify({ name: 'slow', scripts: { build: 'sleep 60', start: 'node server.js' } }) });
    const slow = (await api('POST', '/apps', { name: 'Slow build', slug: 'slow-build', gitRepoUrl: slowRepo.url, gitBranch: 'main' })).body;
    const started = (await api('POST', '/deploy', { appId: slow.id })).body;
    const page = await signedIn(t.key);
    await page.goto(`${t.url}/deployments/${started.id}`);
    await page.getByRole('log', { name: 'Build log' }).getByText('sleep 60').first().waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Cancel deployment' }).click();
    await page.getByText('The log is complete').waitFor({ timeout: 30_000 });
    await expect.poll(async () => (await api('GET', `/deploy/${started.id}`)).body.status).toBe('cancelled');
    await page.locator('dd').getByText('cancelled').waitFor({ timeout: 10_000 });
    expect(await page.getByRole('alert').count()).toBe(0);
  });

  it('a deployment Berth does not know says so, and waits for no log', async () => {
    const page = await signedIn(t.key);
    await page.goto(`${t.url}/deployments/dep_unknown`);
    const missing = await api('GET', '/deploy/dep_unknown');
    await page.getByRole('alert').filter({ hasText: missing.body.message }).waitFor();
    expect(await page.getByText('Connecting to the log stream').count()).toBe(0);
  });

  it('deletes an app from its page once its slug is typed, and its URL stops answering', async () => {
    const repo = git.createRepo('short-lived', { 'server.js': serverJs, Procfile: 'web: node server.js\n' });
    const doomed = (await api('POST', '/apps', { name: 'Short lived', slug: 'short-lived', visibility: 'public', gitRepoUrl: repo.url, gitBranch: 'main' })).body;
    await deployAndWait(doomed.id);
    const page = await signedIn(t.key);
    await page.goto(`${t.url}/apps/${doomed.id}/overview`);
    const button = page.getByRole('button', { name: 'Delete Short lived' });
    expect(await button.isDisabled()).toBe(true);
    await page.getByLabel('Type short-lived to confirm').fill('short-lived');
    await button.click();
    await page.getByRole('heading', { name: 'Apps' }).waitFor();
    expect(await page.getByRole('link', { name: 'Short lived' }).count()).toBe(0);
    expect((await api('GET', `/apps/${doomed.id}`)).status).toBe(404);
    const visit = await page.context().newPage();
    await expect.poll(async () => (await visit.goto(doomed.url))?.status(), { timeout: 30_000 }).toBe(404);
    await visit.close();
  });

  it('says an app deleted while its page is open is gone, and leads back to the apps', async () => {
    const page = await signedIn(t.key);
    const doomed = (await api('POST', '/apps', { name: 'Doomed', slug: 'doomed' })).body;
    await page.goto(`${t.url}/apps/${doomed.id}/overview`);
    await page.getByRole('heading', { name: /Doomed/ }).waitFor();
    expect((await api('DELETE', `/apps/${doomed.id}`)).status).toBe(204);
    // The app is read again within its 15 s refresh.
    const back = page.getByRole('link', { name: 'Back to the apps' });
    await back.waitFor({ timeout: 30_000 });
    const gone = await api('GET', `/apps/${doomed.id}`);
    expect(await page.getByRole('alert').innerText()).toBe(gone.body.message);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('App Doomed');
    await back.click();
    await page.getByRole('heading', { name: 'Apps' }).waitFor();
  });

  it('scales from the Scale tab and the Overview it points to shows the instances as they start', async () => {
    expect((await api('POST', '/deploy/revisions/zones-00001/promote')).status).toBe(200);
    const page = await signedIn(t.key);
    await page.goto(`${t.url}/apps/${app.id}/scale`);
    await page.getByLabel('Replicas (0 stops the app, at most 10)').fill('2');
    await page.getByRole('button', { name: 'Scale', exact: true }).click();
    await page.getByText('Scaling to 2 (1 running when asked)').waitFor();
    await page.getByRole('status').getByRole('link', { name: 'Overview' }).click();
    await page.getByText('2 ready of 2 (desired 2)').waitFor({ timeout: 60_000 });
    const serving = (await api('GET', '/deploy?appId=' + app.id + '&status=succeeded&limit=100')).body.data.find((d: { revisionName: string }) => d.revisionName === 'zones-00001');
    expect((await api('GET', `/deploy/${serving.id}/runtime-status`)).body).toMatchObject({ ready: 2, total: 2 });
  });
});
