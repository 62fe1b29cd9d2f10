// The logs tab's live tail while a new filter's newest page is on its way, in Chromium against a
// real Berth: lines that arrive live meanwhile stay in the page once the page lands (the page was
// read before they were stored), each shown once. The page's answer is Berth's own, held back in
// the browser until the live lines are in, as a slow answer on a loaded machine would be.
import { describe, expect, it } from 'vitest';
import { useConsoleFixture } from '../support/console-fixture.js';

describe('live log lines during a history read', { timeout: 240_000 }, () => {
  const f = useConsoleFixture();

  it("keeps the live lines that arrive while a new filter's newest page is on its way", async () => {
    const app = await f.gitApp('tail', 'Tail');
    await f.deployAndWait(app.id);
    const page = await f.signedIn(f.t.key);
    await page.goto(`${f.t.url}/apps/${app.id}/logs`);
    await page.getByText('following live').waitFor();
    const status = page.getByRole('status').filter({ hasText: 'lines loaded' });
    await expect.poll(() => status.innerText(), { timeout: 30_000 }).not.toContain('loading');

    let answered = false;
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    await page.route(/\/monitoring\/apps\/[^/]+\/logs\?/, async (route) => {
      const response = await route.fetch();
      answered = true;
      await released;
      await route.fulfill({ response });
    });
    await page.getByLabel('Severity').selectOption('INFO');
    await expect.poll(() => answered, { timeout: 30_000 }).toBe(true);
    // Logged after Berth answered the page: only the live tail brings them.
    const paths = ['/while-loading-1', '/while-loading-2', '/while-loading-3'];
    const visit = await page.context().newPage();
    for (const path of paths) await visit.goto(`${app.url}${path}`);
    await visit.close();
    const lineOf = (path: string) => page.getByRole('log').locator('.log-line').filter({ hasText: `INFO request ${path}` });
    for (const path of paths) await lineOf(path).waitFor({ timeout: 30_000 });
    expect(await status.innerText()).toContain('loading');

    release();
    await expect.poll(() => status.innerText(), { timeout: 30_000 }).not.toContain('loading');
    for (const path of paths) expect(await lineOf(path).count(), path).toBe(1);
    await page.unrouteAll();
  });
});
