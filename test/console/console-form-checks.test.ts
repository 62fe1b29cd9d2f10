// The console's forms in Chromium against a real Berth: a slug the API would refuse and an emptied
// replicas field are refused before anything is sent, and a pasted .env names the lines it skipped.
import { describe, expect, it } from 'vitest';
import { inPage } from '../support/console-browser.js';
import { useConsoleFixture } from '../support/console-fixture.js';

describe('the console forms', { timeout: 240_000 }, () => {
  const f = useConsoleFixture();

  it('refuses a slug the API would refuse in the form, before anything is sent', async () => {
    const page = await f.signedIn(f.t.key);
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    const before = (await f.api('GET', '/apps')).body.data.map((a: { slug: string }) => a.slug);
    await page.goto(`${f.t.url}/apps/new`);
    await page.getByLabel('Name').fill('Bad slug');
    await page.getByLabel("Slug (in the app's URL)").fill('Bad_Slug-');
    await page.getByRole('button', { name: 'Create and deploy' }).click();
    expect(await inPage(page, 'document.getElementById("app-slug").validity.patternMismatch')).toBe(true);
    expect(consoleErrors.filter((text) => text.includes('regular expression'))).toEqual([]);
    await page.getByLabel("Slug (in the app's URL)").fill('good-slug');
    expect(await inPage(page, 'document.getElementById("app-slug").validity.patternMismatch')).toBe(false);
    expect((await f.api('GET', '/apps')).body.data.map((a: { slug: string }) => a.slug)).toEqual(before);
  });

  it('refuses an emptied replicas field instead of taking it for 0 and stopping the app', async () => {
    const app = (await f.api('POST', '/apps', { name: 'Emptied', slug: 'emptied' })).body;
    const page = await f.signedIn(f.t.key);
    await page.goto(`${f.t.url}/apps/${app.id}/scale`);
    await page.getByLabel('Replicas (0 stops the app, at most 10)').fill('');
    await page.getByRole('button', { name: 'Scale', exact: true }).click();
    expect(await inPage(page, 'document.getElementById("replicas").validity.valueMissing')).toBe(true);
    await page.getByLabel('Memory limit (MiB)').fill('');
    await page.getByRole('button', { name: 'Save settings' }).click();
    expect(await inPage(page, 'document.getElementById("scale-memoryLimitMi").validity.valueMissing')).toBe(true);
    expect((await f.api('GET', `/apps/${app.id}`)).body).toMatchObject({ replicas: 1, memoryLimitMi: 512 });
  });

  it('says which lines of a pasted .env were not read', async () => {
    const app = (await f.api('POST', '/apps', { name: 'Pasted', slug: 'pasted' })).body;
    const page = await f.signedIn(f.t.key);
    await page.goto(`${f.t.url}/apps/${app.id}/env`);
    await page.getByLabel('.env contents (KEY=value per line; # comments)').fill('FIRST=1\nthis is not a variable\n# a comment\nSECOND=2\n');
    await page.getByRole('button', { name: 'Import variables' }).click();
    await page.getByText('2 variables saved; line 2 not read (not KEY=value).').waitFor();
    const vars = (await f.api('GET', `/apps/${app.id}/env-vars`)).body.map((v: { key: string }) => v.key);
    expect(vars.sort()).toEqual(['FIRST', 'SECOND']);
  });

});
