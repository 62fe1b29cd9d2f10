// Times in the console for a reader outside UTC, in Chromium against a real Berth: log lines read
// in the browser's time zone, as the From and To filters do, and the deploy count says its day is
// a UTC day.
import { describe, expect, it } from 'vitest';
import { useConsoleFixture } from '../support/console-fixture.js';

/** `YYYY-MM-DD hh:mm:ss.mmm` of an ISO timestamp in `timeZone`. */
function localTime(iso: string, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}.${iso.slice(20, 23)}`;
}

describe('the console in another time zone', { timeout: 240_000 }, () => {
  const f = useConsoleFixture();

  it('shows log lines in the browser time zone, as the From and To fields read it', async () => {
    const app = await f.gitApp('zones', 'Zones');
    await f.deployAndWait(app.id);
    const page = await f.signedIn(f.t.key, 'America/New_York');
    await page.goto(`${f.t.url}/apps/${app.id}/logs`);
    await page.getByText('following live').waitFor();
    const visit = await page.context().newPage();
    await visit.goto(`${app.url}/tz-check`);
    await visit.close();
    const line = page.getByRole('log').locator('.log-line').filter({ hasText: 'INFO request /tz-check' });
    await line.waitFor({ timeout: 30_000 });
    const stored = (await f.api('GET', `/monitoring/apps/${app.id}/logs?limit=100`)).body.logs.find(
      (l: { message: string }) => l.message === 'INFO request /tz-check',
    );
    expect(await line.locator('time').innerText()).toBe(localTime(stored.timestamp, 'America/New_York'));
    await page.getByText('Times are in your time zone (America/New_York)').waitFor();
  });

  it('says the day of its deploy count is a UTC day, to a reader in another zone', async () => {
    const page = await f.signedIn(f.t.key, 'America/New_York');
    await page.getByRole('link', { name: 'Overview' }).click();
    const overview = (await f.api('GET', '/monitoring/overview')).body;
    const card = page.locator('.card').filter({ has: page.getByRole('heading', { name: 'Deploys since 00:00 UTC' }) });
    expect(await card.locator('.stat').innerText()).toBe(`${overview.deploysToday} (${overview.failedBuildsToday} failed builds)`);
  });
});
