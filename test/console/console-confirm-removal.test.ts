// Removing a domain, an env var or a share link from the console asks first, in Chromium against a
// real Berth: a modal dialog names exactly what goes (for a domain, that its certificate stops
// being served); Escape and Cancel leave everything in place, and only the confirming button removes.
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { inPage } from '../support/console-browser.js';
import { useConsoleFixture } from '../support/console-fixture.js';

describe('the console asks before it removes', { timeout: 120_000 }, () => {
  const f = useConsoleFixture();
  let app: { id: string; name: string };
  beforeAll(async () => {
    app = (await f.api('POST', '/apps', { name: 'Careful', slug: 'careful' })).body;
  });

  /** Opens the dialog with `opener`, checks it names `what`, and leaves it with Escape, then Cancel. */
  async function declineTwice(page: Page, opener: Locator, title: string): Promise<Locator> {
    const dialog = page.getByRole('dialog', { name: title });
    await opener.click();
    await dialog.waitFor();
    // The safe choice has the focus.
    expect(await inPage(page, 'document.activeElement?.textContent')).toBe('Cancel');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await opener.click();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    await opener.click();
    return dialog;
  }

  it('removes a domain only once confirmed, saying its certificate stops being served', async () => {
    for (const domain of ['shop.example.com', 'blog.example.com']) expect((await f.api('POST', `/apps/${app.id}/domains`, { domain })).status).toBe(201);
    const page = await f.signedIn(f.t.key);
    await page.goto(`${f.t.url}/apps/${app.id}/domains`);
    const dialog = await declineTwice(page, page.getByRole('button', { name: 'Remove shop.example.com' }), 'Remove shop.example.com?');
    expect((await f.api('GET', `/apps/${app.id}/domains`)).body.map((d: { domain: string }) => d.domain).sort()).toEqual(['blog.example.com', 'shop.example.com']);
    const words = await dialog.innerText();
    expect(words).toContain('shop.example.com stops leading to Careful');
    expect(words).toContain('certificate is revoked and stops being served');
    expect(words).not.toContain('blog.example.com');
    await dialog.getByRole('button', { name: 'Remove domain' }).click();
    await page.getByRole('heading', { name: /shop\.example\.com/ }).waitFor({ state: 'detached' });
    expect((await f.api('GET', `/apps/${app.id}/domains`)).body.map((d: { domain: string }) => d.domain)).toEqual(['blog.example.com']);
  });

  it('deletes an env var only once confirmed, naming it', async () => {
    expect((await f.api('POST', `/apps/${app.id}/env-vars/bulk`, { vars: [{ key: 'KEEP', value: '1' }, { key: 'DROP', value: '2' }] })).status).toBeLessThan(300);
    const page = await f.signedIn(f.t.key);
    await page.goto(`${f.t.url}/apps/${app.id}/env`);
    const dialog = await declineTwice(page, page.getByRole('button', { name: 'Delete DROP' }), 'Delete DROP?');
    expect((await f.api('GET', `/apps/${app.id}/env-vars`)).body.map((v: { key: string }) => v.key).sort()).toEqual(['DROP', 'KEEP']);
    expect(await dialog.innerText()).toContain('DROP and its value are deleted from Careful');
    await dialog.getByRole('button', { name: 'Delete variable' }).click();
    await page.getByRole('cell', { name: 'DROP', exact: true }).waitFor({ state: 'detached' });
    expect((await f.api('GET', `/apps/${app.id}/env-vars`)).body.map((v: { key: string }) => v.key)).toEqual(['KEEP']);
  });

  it('revokes a share link only once confirmed, showing which link', async () => {
    const first = (await f.api('POST', `/apps/${app.id}/public-shares`, {})).body;
    const second = (await f.api('POST', `/apps/${app.id}/public-shares`, { requireAuth: true })).body;
    const page = await f.signedIn(f.t.key);
    await page.goto(`${f.t.url}/apps/${app.id}/sharing`);
    const dialog = await declineTwice(page, page.getByRole('button', { name: `Revoke share link created ${second.createdAt}` }), 'Revoke this share link?');
    expect((await f.api('GET', `/apps/${app.id}/public-shares`)).body).toHaveLength(2);
    const words = await dialog.innerText();
    expect(words).toContain(`${second.url} stops working`);
    expect(words).not.toContain(first.url);
    await dialog.getByRole('button', { name: 'Revoke link' }).click();
    await page.getByRole('link', { name: second.url }).waitFor({ state: 'detached' });
    expect((await f.api('GET', `/apps/${app.id}/public-shares`)).body.map((s: { id: string }) => s.id)).toEqual([first.id]);
  });
});
