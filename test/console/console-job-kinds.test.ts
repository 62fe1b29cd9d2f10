// A worker and a cron app in Chromium against a real Berth (real child processes): the console
// shows them no URL but their type, a cron app's schedule and runs instead of instances and
// traffic, a worker's instances without request wording, and says why domains and share links
// would lead nowhere; their Metrics tab charts what applies (no requests) and a cron app's runs.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { artifactDir } from '../support/app-fixtures.js';
import { useConsoleFixture } from '../support/console-fixture.js';

describe('the console shows workers and cron apps for what they are', { timeout: 240_000 }, () => {
  const f = useConsoleFixture();
  const card = (page: Page, heading: string) =>
    page.locator('.card').filter({ has: page.getByRole('heading', { name: heading, exact: true }) });

  async function deployed(
    slug: string,
    fields: Record<string, unknown>,
    source: string,
  ): Promise<{ id: string; url: string | null }> {
    const made = await f.api('POST', '/apps', { name: slug, slug, ...fields });
    expect(made.status).toBe(201);
    const dir = artifactDir();
    fs.writeFileSync(path.join(dir, 'main.js'), source);
    const result = await f.t.berth.core.deployArtifact({
      appId: made.body.id,
      artifactDir: dir,
      command: ['/usr/bin/node', 'main.js'],
      imageRef: `dir:${slug}-1`,
      triggerType: 'MANUAL',
    });
    expect(result.deployment.status).toBe('succeeded');
    return made.body;
  }

  it('lists a worker and a cron app by their type, with no URL to open', async () => {
    const worker = await deployed('queue', { type: 'worker' }, 'setInterval(() => console.log("working"), 200);');
    const cron = await deployed(
      'nightly',
      { type: 'cron', schedule: '* * * * * *' },
      'console.log("ran"); process.exit(3);',
    );
    const page = await f.signedIn(f.t.key);
    const workerRow = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'queue', exact: true }) });
    const cronRow = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'nightly', exact: true }) });
    await cronRow.getByText('cron: "* * * * * *" (UTC)').waitFor();
    expect(await workerRow.innerText()).toMatch(/queue · worker/);
    expect(await workerRow.innerText()).toContain('none: it takes no HTTP requests, so it has no URL');
    for (const [row, app] of [
      [workerRow, worker],
      [cronRow, cron],
    ] as const) {
      // The API gives it no URL either, and no link leads to its hostname.
      expect(app.url).toBeNull();
      expect(await row.innerText()).not.toContain('://');
      expect(await row.locator('a[href*="://"]').count()).toBe(0);
    }
  });

  it("shows a worker's instances, with no URL, traffic or request wording", async () => {
    const worker = (await f.api('GET', '/apps/queue')).body;
    const page = await f.signedIn(f.t.key);
    await page.goto(`${f.t.url}/apps/${worker.id}/overview`);
    await page.getByText('worker (takes no HTTP requests, so it has no URL)').waitFor();
    expect(await page.locator('a[href*="://queue."]').count()).toBe(0);
    const runtime = card(page, 'Runtime');
    await expect.poll(() => runtime.innerText(), { timeout: 20_000 }).toMatch(/1 ready of 1 \(desired 1\)/);
    expect(await runtime.innerText()).not.toMatch(/Traffic/);
    const health = card(page, 'Health');
    await health.getByText('Instances', { exact: true }).waitFor();
    expect(await health.innerText()).toMatch(/by its instances; a worker takes no HTTP requests|unknown \(no figures yet/);
    expect(await health.innerText()).not.toMatch(/recent requests|Error rate|latency/i);

    await page.getByRole('link', { name: 'Revisions & traffic' }).click();
    await page.getByText('A worker takes no HTTP requests: a share here only says which revision runs').waitFor();
    expect(await page.getByLabel('Tag for queue-00001').count()).toBe(0);
    await page.getByRole('link', { name: 'Domains' }).click();
    await page.getByText('queue is a worker: it takes no HTTP requests').waitFor();
    expect(await page.getByRole('button', { name: 'Add domain' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Sharing & webhook' }).click();
    await page.getByText('A share link would open nothing.').waitFor();
    expect(await page.getByRole('button', { name: 'Create share link' }).count()).toBe(0);
    // The webhook still deploys a worker.
    await page.getByRole('button', { name: 'Create or rotate the webhook' }).waitFor();
  });

  it("shows a cron app's schedule, its last, next and recent runs instead of instances", async () => {
    const cron = (await f.api('GET', '/apps/nightly')).body;
    await expect
      .poll(
        async () =>
          ((await f.api('GET', `/apps/${cron.id}/cron-runs`)).body as { status: string }[]).some(
            (r) => r.status === 'failed',
          ),
        { timeout: 20_000 },
      )
      .toBe(true);
    const page = await f.signedIn(f.t.key);
    await page.goto(`${f.t.url}/apps/${cron.id}/overview`);
    await page.getByText('cron: "* * * * * *" (UTC) (takes no HTTP requests, so it has no URL)').waitFor();
    expect(await page.locator('a[href*="://nightly."]').count()).toBe(0);
    const runs = card(page, 'Schedule and runs');
    await expect
      .poll(() => runs.innerText(), { timeout: 15_000 })
      .toMatch(
        /Last run\s+(failed, exit code 3 after [\d.]+ s, started \S+|running since \S+|skipped at \S+: the run before was still going) \(\w+\)/,
      );
    expect(await runs.innerText()).toMatch(/Schedule\s+"\* \* \* \* \* \*" \(UTC\)/);
    expect(await runs.innerText()).toMatch(/Next run\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z/);
    const failedRun = runs
      .getByRole('table', { name: 'Recent runs of nightly' })
      .getByRole('row')
      .filter({ hasText: 'failed' })
      .first();
    expect(await failedRun.innerText()).toMatch(/failed\s+3\s+[\d.]+ s/);
    expect(await page.getByRole('heading', { name: 'Runtime', exact: true }).count()).toBe(0);
    const health = card(page, 'Health');
    await health.getByText(/by its last run|no finished run yet/).waitFor();
    expect(await health.innerText()).not.toMatch(/Instances|recent requests|Error rate|latency/i);

    await page.getByRole('link', { name: 'Revisions & traffic' }).click();
    await page.getByText('A cron app takes no HTTP requests: its runs use the revision with a share here').waitFor();
    expect(await page.getByLabel('Tag for nightly-00001').count()).toBe(0);
  });
  const chart = (page: Page, title: string) => page.getByRole('img', { name: new RegExp(`^${title} chart, `) });
  const header = (page: Page) => page.locator('h1 + p');

  it("charts a worker's CPU, memory and instances, no requests, says why, and shows no visibility", async () => {
    const worker = (await f.api('GET', '/apps/queue')).body;
    const page = await f.signedIn(f.t.key);
    await page.goto(`${f.t.url}/apps/${worker.id}/metrics`);
    await page
      .getByText('queue is a worker: it takes no HTTP requests, so it has no request, error-rate or latency charts. Its CPU, memory and instances are charted.')
      .waitFor();
    await chart(page, 'CPU').waitFor();
    for (const title of ['Memory', 'Instances']) expect(await chart(page, title).count()).toBe(1);
    for (const title of ['Requests', 'Latency', 'Error rate']) expect(await chart(page, title).count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Runs', exact: true }).count()).toBe(0);
    // Visibility says who may open the URL: a worker has none.
    expect(await header(page).innerText()).toMatch(/^worker \(takes no HTTP requests, so it has no URL\) · source \w+$/);
  });

  it("charts a cron app's CPU, memory and instances and counts its runs of the period, no requests", async () => {
    const cron = (await f.api('GET', '/apps/nightly')).body;
    const page = await f.signedIn(f.t.key);
    await page.goto(`${f.t.url}/apps/${cron.id}/metrics`);
    await page.getByText('nightly is a cron app: it takes no HTTP requests, so it has no request, error-rate or latency charts. Its instances are its runs').waitFor();
    await chart(page, 'CPU').waitFor();
    for (const title of ['Memory', 'Instances']) expect(await chart(page, title).count()).toBe(1);
    for (const title of ['Requests', 'Latency', 'Error rate']) expect(await chart(page, title).count()).toBe(0);
    const runs = card(page, 'Runs');
    await runs.getByText(/^\d+ runs? in the last 1h: /).waitFor();
    expect(await runs.innerText()).toMatch(/\d+ failed/);
    await chart(page, 'Run duration').waitFor();
    expect(await header(page).innerText()).not.toMatch(/public|private/);
  });
});
