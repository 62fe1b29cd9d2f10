// The app's Runtime card and deployment list in Chromium against a real Berth, while traffic
// moves: they follow the revisions that serve (not a warm older one), through a promote, a split
// (every serving revision with its share, tag and instances) and a scale from the Scale tab.
import { describe, expect, it } from 'vitest';
import { useConsoleFixture } from '../support/console-fixture.js';

describe('the console follows the revisions that serve traffic', { timeout: 240_000 }, () => {
  const f = useConsoleFixture();
  let app: { id: string; url: string };
  const runtimeCard = (page: Awaited<ReturnType<typeof f.signedIn>>) => page.locator('.card').filter({ has: page.getByRole('heading', { name: 'Runtime' }) });

  it('shows the runtime of the revision that serves traffic, through a promote of an older one', async () => {
    app = await f.gitApp('zones', 'Zones');
    await f.deployAndWait(app.id);
    await f.deployAndWait(app.id);
    const page = await f.signedIn(f.t.key);
    await page.goto(`${f.t.url}/apps/${app.id}/overview`);
    const runtime = runtimeCard(page);
    await expect.poll(() => runtime.innerText(), { timeout: 15_000 }).toMatch(/Revision\s+zones-00002/);
    expect((await f.api('POST', '/deploy/revisions/zones-00001/promote')).status).toBe(200);
    // zones-00002 keeps running warm; the card must move to the revision that now serves.
    await expect.poll(() => runtime.innerText(), { timeout: 20_000 }).toMatch(/Revision\s+zones-00001/);
    // Its instances follow once their runtime answer is in (the revision's line may come first).
    await expect.poll(() => runtime.innerText(), { timeout: 15_000 }).toMatch(/1 ready of 1 \(desired 1\)/);
    // The health card tells the warm instances apart from the serving ones, as the API counts them.
    await expect
      .poll(async () => (await f.api('GET', `/monitoring/apps/${app.id}/health`)).body.warmInstances, { timeout: 30_000 })
      .toBeGreaterThan(0);
    const health = (await f.api('GET', `/monitoring/apps/${app.id}/health`)).body;
    await page.reload();
    await page
      .getByText(`${health.instanceCount} serving, ${health.warmInstances} more kept warm for rollback`)
      .waitFor({ timeout: 15_000 });
  });

  it('marks the deployment that serves, offers no rollback to it, and one to the others', async () => {
    expect((await f.api('POST', '/deploy/revisions/zones-00001/promote')).status).toBe(200);
    const page = await f.signedIn(f.t.key);
    await page.goto(`${f.t.url}/apps/${app.id}/deployments`);
    const serving = page.getByRole('row').filter({ hasText: 'zones-00001' });
    await serving.getByText('serves 100 % of traffic').waitFor();
    expect(await serving.getByRole('button').count()).toBe(0);
    await page.getByRole('button', { name: 'Roll back to zones-00002' }).waitFor();
    await serving.getByRole('link', { name: 'zones-00001' }).click();
    await page.getByText('zones-00001 serves all the traffic.').waitFor();
    expect(await page.getByRole('button', { name: 'Roll back to this deployment' }).count()).toBe(0);
  });

  it('shows every revision of a 90/10 split with its share, its tag and its instances', async () => {
    const split = await f.api('POST', `/deploy/apps/${app.id}/traffic`, {
      splits: [
        { revisionName: 'zones-00001', percent: 90 },
        { revisionName: 'zones-00002', percent: 10, tag: 'canary' },
      ],
    });
    expect(split.status).toBe(200);
    const page = await f.signedIn(f.t.key);
    await page.goto(`${f.t.url}/apps/${app.id}/overview`);
    const runtime = runtimeCard(page);
    const major = runtime.getByRole('region', { name: 'Revision zones-00001' });
    const minor = runtime.getByRole('region', { name: 'Revision zones-00002' });
    await expect.poll(() => minor.innerText(), { timeout: 30_000 }).toMatch(/1 ready of 1 \(desired 1\)/);
    await expect.poll(() => major.innerText(), { timeout: 30_000 }).toMatch(/1 ready of 1 \(desired 1\)/);
    expect(await major.innerText()).toMatch(/Traffic\s+90 %/);
    expect(await major.innerText()).not.toMatch(/Tag/);
    expect(await minor.innerText()).toMatch(/Traffic\s+10 %\s+Tag\s+canary/);
    // Most traffic first, and the runtime status each shows is the API's for that revision.
    expect((await runtime.getByRole('region').allInnerTexts()).map((text) => /Revision\s+(\S+)/.exec(text)?.[1])).toEqual(['zones-00001', 'zones-00002']);
    const deployments = (await f.api('GET', `/deploy?appId=${app.id}&status=succeeded&limit=100`)).body.data;
    for (const name of ['zones-00001', 'zones-00002']) {
      const deployment = deployments.find((d: { revisionName: string }) => d.revisionName === name);
      expect((await f.api('GET', `/deploy/${deployment.id}/runtime-status`)).body).toMatchObject({ revisionName: name, ready: 1, total: 1 });
    }
  });

  it('scales from the Scale tab and the Overview it points to shows the instances as they start', async () => {
    expect((await f.api('POST', '/deploy/revisions/zones-00001/promote')).status).toBe(200);
    const page = await f.signedIn(f.t.key);
    await page.goto(`${f.t.url}/apps/${app.id}/scale`);
    await page.getByLabel('Replicas (0 stops the app, at most 10)').fill('2');
    await page.getByRole('button', { name: 'Scale', exact: true }).click();
    await page.getByText('Scaling to 2 (1 running when asked)').waitFor();
    await page.getByRole('status').getByRole('link', { name: 'Overview' }).click();
    await page.getByText('2 ready of 2 (desired 2)').waitFor({ timeout: 60_000 });
    const serving = (await f.api('GET', '/deploy?appId=' + app.id + '&status=succeeded&limit=100')).body.data.find((d: { revisionName: string }) => d.revisionName === 'zones-00001');
    expect((await f.api('GET', `/deploy/${serving.id}/runtime-status`)).body).toMatchObject({ ready: 2, total: 2 });
  });
});
