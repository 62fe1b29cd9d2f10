// Things that end or vanish under the console, in Chromium against a real Berth: a deployment
// cancelled while it builds is no error, an unknown one waits for no log, an app is deleted from
// its page once its slug is typed, and an app deleted while its page is open says so and leads back.
import { describe, expect, it } from 'vitest';
import { revisionServerJs, useConsoleFixture } from '../support/console-fixture.js';

describe('the console when things end or vanish', { timeout: 240_000 }, () => {
  const f = useConsoleFixture();

  it('a deployment cancelled while it builds reads as cancelled, not as an error', async () => {
    const slowRepo = f.git.createRepo('slow-build', { 'server.js': revisionServerJs, 'package.json': JSON.stringify({ name: 'slow', scripts: { build: 'sleep 60', start: 'node server.js' } }) });
    const slow = (await f.api('POST', '/apps', { name: 'Slow build', slug: 'slow-build', gitRepoUrl: slowRepo.url, gitBranch: 'main' })).body;
    const started = (await f.api('POST', '/deploy', { appId: slow.id })).body;
    const page = await f.signedIn(f.t.key);
    await page.goto(`${f.t.url}/deployments/${started.id}`);
    await page.getByRole('log', { name: 'Build log' }).getByText('sleep 60').first().waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Cancel deployment' }).click();
    await page.getByText('The log is complete').waitFor({ timeout: 30_000 });
    await expect.poll(async () => (await f.api('GET', `/deploy/${started.id}`)).body.status).toBe('cancelled');
    await page.locator('dd').getByText('cancelled').waitFor({ timeout: 10_000 });
    expect(await page.getByRole('alert').count()).toBe(0);
  });

  it('a deployment Berth does not know says so, and waits for no log', async () => {
    const page = await f.signedIn(f.t.key);
    await page.goto(`${f.t.url}/deployments/dep_unknown`);
    const missing = await f.api('GET', '/deploy/dep_unknown');
    await page.getByRole('alert').filter({ hasText: missing.body.message }).waitFor();
    expect(await page.getByText('Connecting to the log stream').count()).toBe(0);
  });

  it('deletes an app from its page once its slug is typed, and its URL stops answering', async () => {
    const doomed = await f.gitApp('short-lived', 'Short lived');
    await f.deployAndWait(doomed.id);
    const page = await f.signedIn(f.t.key);
    await page.goto(`${f.t.url}/apps/${doomed.id}/overview`);
    const button = page.getByRole('button', { name: 'Delete Short lived' });
    expect(await button.isDisabled()).toBe(true);
    await page.getByLabel('Type short-lived to confirm').fill('short-lived');
    await button.click();
    await page.getByRole('heading', { name: 'Apps' }).waitFor();
    expect(await page.getByRole('link', { name: 'Short lived' }).count()).toBe(0);
    expect((await f.api('GET', `/apps/${doomed.id}`)).status).toBe(404);
    const visit = await page.context().newPage();
    await expect.poll(async () => (await visit.goto(doomed.url))?.status(), { timeout: 30_000 }).toBe(404);
    await visit.close();
  });

  it('says an app deleted while its page is open is gone, and leads back to the apps', async () => {
    const page = await f.signedIn(f.t.key);
    const doomed = (await f.api('POST', '/apps', { name: 'Doomed', slug: 'doomed' })).body;
    await page.goto(`${f.t.url}/apps/${doomed.id}/overview`);
    await page.getByRole('heading', { name: /Doomed/ }).waitFor();
    expect((await f.api('DELETE', `/apps/${doomed.id}`)).status).toBe(204);
    // The app is read again within its 15 s refresh.
    const back = page.getByRole('link', { name: 'Back to the apps' });
    await back.waitFor({ timeout: 30_000 });
    const gone = await f.api('GET', `/apps/${doomed.id}`);
    expect(await page.getByRole('alert').innerText()).toBe(gone.body.message);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('App Doomed');
    await back.click();
    await page.getByRole('heading', { name: 'Apps' }).waitFor();
  });
});
