// What the console says after a rollback and a scale, in Chromium against a real Berth: a rollback
// names the revision it went back to (the API's `rolledBackFrom` is that deployment, not the one
// left behind), and the Overview's Health card tells the same instance count as the Runtime card
// beside it, read as often, instead of an older one for up to half a minute; the latency and
// error-rate charts draw nothing for minutes without requests, where the API's series read 0.
import { describe, expect, it } from 'vitest';
import { viaEdge } from '../build/support.js';
import { useConsoleFixture } from '../support/console-fixture.js';

describe('the console says what happened', { timeout: 240_000 }, () => {
  const f = useConsoleFixture({ BERTH_METRICS_INTERVAL_MS: '1000' });

  it('says which revision a rollback went back to, on the deployment and in the list', async () => {
    const app = await f.gitApp('backto', 'Back to');
    await f.deployAndWait(app.id);
    await f.deployAndWait(app.id);
    const deployments = (await f.api('GET', `/deploy?appId=${app.id}&limit=100`)).body.data;
    const first = deployments.find((d: { revisionName: string }) => d.revisionName === 'backto-00001');
    const page = await f.signedIn(f.t.key);
    await page.goto(`${f.t.url}/apps/${app.id}/deployments`);
    await page.getByRole('button', { name: 'Roll back to backto-00001' }).click();
    await page.waitForURL(/\/deployments\/dep_/);
    const rollbackId = page.url().split('/deployments/')[1];
    expect((await f.api('GET', `/deploy/${rollbackId}`)).body.rolledBackFrom).toBe(first.id);
    const facts = page.locator('dl.facts');
    await expect.poll(() => facts.innerText(), { timeout: 15_000 }).toMatch(/Rolled back to\s+backto-00001/);
    expect(await facts.innerText()).not.toContain('Rolled back from');
    expect(await facts.getByRole('link', { name: 'backto-00001' }).getAttribute('href')).toBe(`/deployments/${first.id}`);

    await page.goto(`${f.t.url}/apps/${app.id}/deployments`);
    const row = page.getByRole('row').filter({ hasText: 'ROLLBACK' });
    await expect.poll(() => row.innerText(), { timeout: 15_000 }).toMatch(/ROLLBACK\s+to backto-00001/);
  });

  it("keeps the Health card's instance count with the Runtime card's through a scale", async () => {
    const app = await f.gitApp('agree', 'Agree');
    await f.deployAndWait(app.id);
    // The page's clock stands still: its data is read again only when the test moves the clock.
    const context = await f.browser.newContext({ timezoneId: 'UTC', viewport: { width: 1280, height: 800 } });
    try {
      await context.clock.install();
      const page = await context.newPage();
      await page.goto(f.t.url);
      await page.getByLabel('API key').fill(f.t.key);
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Apps' }).waitFor();
      await page.goto(`${f.t.url}/apps/${app.id}/overview`);
      const card = (title: string) => page.locator('.card').filter({ has: page.getByRole('heading', { name: title }) });
      await expect.poll(() => card('Runtime').innerText(), { timeout: 30_000 }).toMatch(/1 ready of 1 \(desired 1\)/);
      await expect.poll(() => card('Health').innerText(), { timeout: 30_000 }).toMatch(/Instances\s+1\b/);
      // No request has reached the app through the edge: no latency to speak of either.
      expect(await card('Health').innerText()).toMatch(/Mean latency\s+no recent requests/);
      await page.clock.pauseAt(Date.now() + 1000);

      expect((await f.api('POST', '/deploy/scale', { appId: app.id, replicas: 2 })).status).toBe(200);
      // Both answers the cards read say 2 before the page reads them again.
      const [deployment] = (await f.api('GET', `/deploy?appId=${app.id}&status=succeeded&limit=1`)).body.data;
      await expect.poll(async () => (await f.api('GET', `/deploy/${deployment.id}/runtime-status`)).body.ready, { timeout: 60_000 }).toBe(2);
      await expect.poll(async () => (await f.api('GET', `/monitoring/apps/${app.id}/health`)).body.instanceCount, { timeout: 60_000 }).toBe(2);
      // Past one refresh of the Runtime card, well short of the 30 s the apps list waits between reads.
      await page.clock.runFor(6000);
      const settled = async (title: string) => {
        await page.clock.runFor(50);
        return card(title).innerText();
      };
      await expect.poll(() => settled('Runtime'), { timeout: 30_000 }).toMatch(/2 ready of 2 \(desired 2\)/);
      await expect.poll(() => settled('Health'), { timeout: 30_000 }).toMatch(/Instances\s+2\b/);
    } finally {
      await context.close();
    }
  });

  it('draws latency and error rate only for the minutes that had requests', async () => {
    const app = await f.gitApp('gaps', 'Gaps');
    await f.deployAndWait(app.id);
    for (const path of ['/one', '/two', '/three']) expect((await viaEdge(f.t, app.slug, path)).status).toBe(200);
    const withRequests = async () => (await f.api('GET', `/monitoring/apps/${app.id}/metrics?period=1h`)).body.requestCount.values.filter((n: number) => n > 0).length;
    await expect.poll(withRequests, { timeout: 60_000 }).toBeGreaterThan(0);
    const page = await f.signedIn(f.t.key);
    await page.goto(`${f.t.url}/apps/${app.id}/metrics`);
    const minutes = await withRequests();
    // The hour has 60 minutes; only those with requests have a latency and an error rate.
    for (const title of ['Latency', 'Error rate']) await page.getByRole('img', { name: new RegExp(`^${title} chart, ${minutes} points, latest \\d`) }).waitFor({ timeout: 30_000 });
    expect(minutes).toBeLessThan(60);
    const cpu = (await f.api('GET', `/monitoring/apps/${app.id}/metrics?period=1h`)).body.cpu.values.length;
    await page.getByRole('img', { name: new RegExp(`^CPU chart, ${cpu} points`) }).waitFor();
  });
});
