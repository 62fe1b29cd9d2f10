// A POSTGRES database through the console in Chromium against a real Berth (a server of its own,
// so root only): provisioning shown as progress until RUNNING, the password masked until Reveal
// (and again after Hide) and copied whole, the read-only query runner (rows, the cap, the API's
// refusal of a write), the audit trail (a query's SQL hidden from a key without databases:query),
// a backup taken and restored, and delete.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConsole } from '../support/build-console.js';
import { inPage, launchChromium } from '../support/console-browser.js';
import { shot } from '../support/console-screenshot.js';
import { startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';

describe.runIf(process.getuid?.() === 0)('the console with a POSTGRES database', { timeout: 180_000 }, () => {
  let t: TestBerth;
  let chromium: Awaited<ReturnType<typeof launchChromium>>;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const api = (method: string, urlPath: string, body?: unknown) => t.request(method, `/api/v1/workspaces/${t.workspaceId}${urlPath}`, body === undefined ? {} : { body });

  beforeAll(async () => {
    await buildConsole();
    t = await startTestBerth('sqlite', { env: { BERTH_DB_BACKUP_CRON: 'off' } });
    chromium = await launchChromium();
    browser = chromium.browser;
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: t.url });
    page = await context.newPage();
    await page.goto(t.url);
    await page.getByLabel('API key').fill(t.key);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Apps' }).waitFor();
  }, 180_000);
  afterAll(async () => {
    await context?.close();
    await chromium?.close();
    await t?.close();
  });

  it('shows provisioning as progress until the database runs', async () => {
    await page.goto(`${t.url}/databases/new`);
    await page.getByLabel('Name').fill('Orders');
    await page.getByLabel('Storage (GB)').fill('1');
    await page.getByLabel('Memory (empty: 512Mi)').fill('256Mi');
    const progress = page.getByRole('progressbar', { name: 'Provisioning Orders' });
    const progressShown = progress.waitFor();
    await page.getByRole('button', { name: 'Create database' }).click();
    await progressShown;
    await page.getByRole('heading', { name: /Orders\s*RUNNING/ }).waitFor({ timeout: 90_000 });
    expect(await progress.count()).toBe(0);
    expect((await api('GET', '/databases/orders')).body).toMatchObject({ engine: 'POSTGRES', status: 'RUNNING', resources: { memory: '256Mi', storageGb: 1 } });
    await page.getByText('1 ready of 1 desired').waitFor();
  });

  it('masks the password until Reveal, and copies it whole', async () => {
    const connection = (await api('GET', '/databases/orders/connection')).body;
    const card = page.locator('.card').filter({ has: page.getByRole('heading', { name: 'Connection' }) });
    await card.getByText(connection.host).waitFor();
    expect(await page.locator('main').innerText()).not.toContain(connection.password);
    await card.getByRole('button', { name: 'Copy the password' }).click();
    await card.getByText('Copied').waitFor();
    expect(await inPage(page, 'navigator.clipboard.readText()')).toBe(connection.password);
    await card.getByRole('button', { name: 'Reveal password' }).click();
    expect(await card.innerText()).toContain(connection.uri);
    expect(await card.getByRole('button', { name: 'Hide password' }).getAttribute('aria-pressed')).toBe('true');
    await card.getByRole('button', { name: 'Hide password' }).click();
    await card.getByRole('button', { name: 'Reveal password' }).waitFor();
    expect(await page.locator('main').innerText()).not.toContain(connection.password);
  });

  it('runs read-only SQL: rows in a table, the cap said, a write refused in the API words', async () => {
    const sql = "SELECT g AS n, 'row ' || g AS label FROM generate_series(1, 5) g";
    await page.getByLabel(/^SQL/).fill(sql);
    await page.getByLabel('Max rows').fill('3');
    await page.getByLabel(/^SQL/).press('Control+Enter');
    const results = page.getByRole('table', { name: 'Query results' });
    await results.waitFor();
    expect(await results.locator('thead').innerText()).toMatch(/n\s+int4\s+label\s+text/);
    expect(await results.locator('tbody tr').allInnerTexts()).toEqual(['1\trow 1', '2\trow 2', '3\trow 3']);
    await page.getByText(/3 rows in \d+ ms \(more rows matched than were returned\)/).waitFor();
    await shot(page, 'database', true);

    const write = 'CREATE TABLE sneaky (id int)';
    const refused = await api('POST', '/databases/orders/query', { sql: write });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    await page.getByLabel(/^SQL/).fill(write);
    await page.getByRole('button', { name: 'Run query' }).click();
    const alert = page.locator('form').filter({ has: page.getByRole('heading', { name: 'Query (read-only)' }) }).getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toBe([refused.body.message].flat().join('\n'));
  });

  it("shows the audit trail: a query's SQL to keys that may run queries, that it is hidden to others", async () => {
    const trail = (p: Page) => p.locator('.card').filter({ has: p.getByRole('heading', { name: 'Audit trail' }) });
    const rows = (p: Page) => trail(p).getByRole('table', { name: 'Audit trail of Orders' }).locator('tbody tr');
    // Refreshed after each run: the refused write of the last test is there, with PostgreSQL's words.
    await rows(page).filter({ hasText: 'CREATE TABLE sneaky' }).first().waitFor();
    expect(await rows(page).filter({ hasText: 'generate_series(1, 5)' }).innerText()).toMatch(/Query\s+SELECT g AS n.*\s+3 rows, \d+ ms/s);
    const queries = (await api('GET', '/databases/orders/audit')).body.filter((e: { action: string }) => e.action === 'database.query').length;

    // A key that may read the database but not run queries: each query is there, its SQL said to be hidden.
    const reader = (await api('POST', '/api-keys', { name: 'auditor', scopes: ['databases:read'] })).body.key as string;
    const other = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const readerPage = await other.newPage();
      await readerPage.goto(t.url);
      await readerPage.getByLabel('API key').fill(reader);
      await readerPage.keyboard.press('Enter');
      await readerPage.getByLabel('API key').waitFor({ state: 'detached' });
      await readerPage.goto(`${t.url}/databases/orders`);
      const hidden = rows(readerPage).filter({ hasText: 'SQL hidden (needs databases:query)' });
      await hidden.first().waitFor();
      expect(await hidden.count()).toBe(queries);
      const text = await trail(readerPage).innerText();
      expect(text).not.toMatch(/null|undefined|generate_series|sneaky|\[object/);
      expect(text).toContain('failed (its error is hidden too)');
    } finally {
      await other.close();
    }
  });

  it('takes a backup and restores it after a second press', async () => {
    const card = page.locator('.card').filter({ has: page.getByRole('heading', { name: 'Backups' }) });
    await card.getByText('No backups yet.').waitFor();
    await card.getByRole('button', { name: 'Back up now' }).click();
    const backups = card.getByRole('table', { name: 'Backups of Orders' });
    await backups.locator('tbody tr').first().waitFor({ timeout: 60_000 });
    expect(await backups.locator('tbody tr').count()).toBe((await api('GET', '/databases/orders/backups')).body.length);
    await card.getByRole('button', { name: /^Restore the backup of/ }).click();
    await card.getByText(/Every write since .* is lost\./).waitFor();
    await card.getByRole('button', { name: 'Restore it' }).click();
    await card.getByText(/^Restored the backup of/).waitFor({ timeout: 90_000 });
    expect((await api('GET', '/databases/orders')).body.status).toBe('RUNNING');
  });

  it('deletes the database once its slug is typed', async () => {
    await page.getByLabel('Type orders to confirm').fill('orders');
    await page.getByRole('button', { name: 'Delete Orders' }).click();
    await page.waitForURL(/\/databases$/);
    await page.getByText('No databases yet: create one with “New database”.').waitFor();
    expect((await api('GET', '/databases/orders')).status).toBe(404);
  });
});
