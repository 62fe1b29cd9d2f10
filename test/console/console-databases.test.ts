// The console's Databases pages in Chromium against a real Berth, with SQLITE (ready at once): the
// form shows the API's refusal in its words, creates a database, the list filters and searches it;
// its page shows the connection, attaches it to an app (whose Databases tab then lists it, with
// the next-deploy note; the picker then says why no other app can have it), detaches it, and deletes it once its slug is typed. Every control is labelled.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anApp } from '../support/builders.js';
import { buildConsole } from '../support/build-console.js';
import { launchChromium, unlabelledControls } from '../support/console-browser.js';
import { shot } from '../support/console-screenshot.js';
import { startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';

describe('the console with SQLITE databases', { timeout: 180_000 }, () => {
  let t: TestBerth;
  let chromium: Awaited<ReturnType<typeof launchChromium>>;
  let browser: Browser;
  let page: Page;
  let shop: { id: string; name: string; slug: string };
  let blog: { id: string };
  const api = (method: string, urlPath: string, body?: unknown) => t.request(method, `/api/v1/workspaces/${t.workspaceId}${urlPath}`, body === undefined ? {} : { body });
  const rows = () => page.getByRole('table', { name: 'Databases of the workspace' }).locator('tbody tr');

  beforeAll(async () => {
    await buildConsole();
    t = await startTestBerth('sqlite', { env: { BERTH_ISOLATION: 'off' } });
    shop = (await api('POST', '/apps', anApp({ name: 'Shop', slug: 'shop' }))).body;
    blog = (await api('POST', '/apps', anApp({ name: 'Blog', slug: 'blog' }))).body;
    await api('POST', '/databases', { name: 'Cache', slug: 'cache-files', engine: 'SQLITE' });
    chromium = await launchChromium();
    browser = chromium.browser;
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(t.url);
    await page.getByLabel('API key').fill(t.key);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Apps' }).waitFor();
  }, 180_000);
  afterAll(async () => {
    await chromium?.close();
    await t?.close();
  });

  it('creates an SQLITE database from the form, after showing the API refusing a version', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Databases' }).click();
    await page.getByRole('link', { name: 'New database' }).click();
    await page.getByLabel('Name').fill('Notes DB');
    expect(await page.getByLabel('Slug').inputValue()).toBe('notes-db');
    await page.getByLabel('Engine').selectOption('SQLITE');
    expect(await page.getByLabel('Storage (GB)').inputValue()).toBe('1');
    expect(await unlabelledControls(page)).toEqual([]);
    await page.getByLabel('Version (empty: the newest)').fill('2');
    await page.getByRole('button', { name: 'Create database' }).click();
    const refused = await api('POST', '/databases', { name: 'Notes DB', slug: 'notes-db', engine: 'SQLITE', version: '2', storageGb: 1 });
    expect(refused.status).toBe(400);
    await page.getByRole('alert').getByText(refused.body.message[0]).waitFor();
    await page.getByLabel('Version (empty: the newest)').fill('');
    await page.getByRole('button', { name: 'Create database' }).click();
    await page.getByRole('heading', { name: /Notes DB/ }).waitFor();
    expect(await page.getByRole('heading', { name: /Notes DB/ }).innerText()).toMatch(/RUNNING/);
    expect((await api('GET', '/databases/notes-db')).body).toMatchObject({ engine: 'SQLITE', status: 'RUNNING', resources: { storageGb: 1 } });
    await page.getByText('1 ready of 1 desired').waitFor();
    await page.getByText('file:/var/lib/dooor/sqlite/db.sqlite').waitFor();
    expect(await unlabelledControls(page)).toEqual([]);
  });

  it('lists the databases, filtered by engine and status and searched, as the API answers', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Databases' }).click();
    await expect.poll(() => rows().count()).toBe(2);
    expect(await rows().first().innerText()).toMatch(/SQLITE 3/);
    await shot(page, 'databases');
    await page.getByLabel('Search databases').fill('notes');
    await expect.poll(() => rows().allInnerTexts()).toEqual([expect.stringContaining('Notes DB')]);
    await page.getByLabel('Search databases').fill('');
    await page.getByLabel('Engine').selectOption('POSTGRES');
    await page.getByText('No database matches these filters.').waitFor();
    await page.getByLabel('Engine').selectOption('SQLITE');
    await page.getByLabel('Status').selectOption('RUNNING');
    await expect.poll(() => rows().count()).toBe(2);
  });

  it('attaches the database to an app at a mount path; the app lists it, then detaches it', async () => {
    await rows().getByRole('link', { name: 'Notes DB' }).click();
    await page.getByLabel('App to attach to').selectOption({ label: 'Shop (shop)' });
    await page.getByLabel('Mount path (empty: /var/lib/dooor/sqlite)').fill('/data/notes');
    await page.getByRole('button', { name: 'Attach', exact: true }).click();
    const attached = page.getByRole('table', { name: 'Apps Notes DB is attached to' });
    await attached.getByText('/data/notes').waitFor();
    expect(await attached.innerText()).toMatch(/Shop\s+DATABASE_URL\s+\/data\/notes/);
    expect((await api('GET', `/apps/${shop.id}/databases`)).body).toMatchObject([{ slug: 'notes-db', mountPath: '/data/notes' }]);

    // An app it is attached to is offered no more; nor, for an SQLITE database, any other app (the
    // API would answer 409): the picker is disabled and says why.
    const picker = page.getByLabel('App to attach to');
    expect(await picker.locator('option').allInnerTexts()).toEqual(['choose an app', 'Blog (blog)']);
    expect(await picker.isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Attach', exact: true }).isDisabled()).toBe(true);
    const why = 'An SQLITE database is written by one app only: Notes DB is attached to Shop. Detach it there to attach it to another app.';
    expect(await picker.getAttribute('aria-describedby').then((id) => page.locator(`#${id}`).innerText())).toBe(why);
    const second = await api('POST', `/databases/notes-db/attachments`, { appId: blog.id });
    expect(second.status).toBe(409);

    await attached.getByRole('link', { name: 'Shop' }).click();
    await page.waitForURL(/\/apps\/[^/]+\/databases$/);
    const tab = page.getByRole('table', { name: 'Databases attached to Shop' });
    await tab.getByRole('link', { name: 'Notes DB' }).waitFor();
    expect(await tab.innerText()).toMatch(/SQLITE\s+✓\s*RUNNING\s+DATABASE_URL \(secret env var\)\s+\/data\/notes/);
    await page.getByText("Either takes effect at the app's next deploy.").waitFor();

    await tab.getByRole('link', { name: 'Notes DB' }).click();
    await page.getByRole('button', { name: 'Detach from Shop' }).click();
    await page.getByText('Not attached to any app.').waitFor();
    expect((await api('GET', `/apps/${shop.id}/databases`)).body).toEqual([]);
    // Attached to none, it may go to any app again.
    expect(await page.getByLabel('App to attach to').isDisabled()).toBe(false);
    expect(await page.getByText(/written by one app only/).count()).toBe(0);
  });

  it('deletes the database only once its slug is typed, then lists it no more', async () => {
    const remove = page.getByRole('button', { name: 'Delete Notes DB' });
    expect(await remove.isDisabled()).toBe(true);
    await page.getByLabel('Type notes-db to confirm').fill('notes-d');
    expect(await remove.isDisabled()).toBe(true);
    await page.getByLabel('Type notes-db to confirm').fill('notes-db');
    await remove.click();
    await page.waitForURL(/\/databases$/);
    await expect.poll(() => rows().allInnerTexts()).toEqual([expect.stringContaining('Cache')]);
    expect((await api('GET', '/databases/notes-db')).status).toBe(404);
  });
});
