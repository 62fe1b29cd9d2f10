// The console's forms in Chromium against a real Berth: a slug the API would refuse and an emptied
// replicas field are refused before anything is sent, a pasted .env names the lines it skipped, and
// the scale fields follow Berth's values (changed by the CLI, the API, the autoscaler) while nobody
// types in them, without overwriting what the user is typing.
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

  it("follows Berth's replicas and limits while nobody types in them, and keeps what the user types", async () => {
    const app = (await f.api('POST', '/apps', { name: 'Followed', slug: 'followed' })).body;
    const page = await f.signedIn(f.t.key);
    // The page reads the app again every 15 s: its clock is moved on past that rather than waited out.
    await page.clock.install();
    const reread = () => page.clock.fastForward(16_000);
    await page.goto(`${f.t.url}/apps/${app.id}/scale`);
    const replicas = page.getByLabel('Replicas (0 stops the app, at most 10)');
    const memory = page.getByLabel('Memory limit (MiB)');
    const cpu = page.getByLabel('Cpu limit (millicores)');
    await expect.poll(() => replicas.inputValue()).toBe('1');
    // Changed elsewhere, as `berth scale` and the API do: the page reads the app again (15 s).
    expect((await f.api('POST', '/deploy/scale', { appId: app.id, replicas: 3 })).status).toBe(200);
    expect((await f.api('PATCH', `/apps/${app.id}`, { memoryLimitMi: 256, cpuLimitMillicores: 750 })).status).toBe(200);
    await reread();
    await expect.poll(() => replicas.inputValue(), { timeout: 30_000 }).toBe('3');
    expect(await memory.inputValue()).toBe('256');
    expect(await cpu.inputValue()).toBe('750');

    // Typed and not saved yet: a later change on Berth leaves the typed values alone.
    await replicas.fill('5');
    await memory.fill('300');
    expect((await f.api('POST', '/deploy/scale', { appId: app.id, replicas: 2 })).status).toBe(200);
    expect((await f.api('PATCH', `/apps/${app.id}`, { cpuLimitMillicores: 500 })).status).toBe(200);
    await reread();
    // The untouched cpu field shows that the page has read the app again.
    await expect.poll(() => cpu.inputValue(), { timeout: 30_000 }).toBe('500');
    expect(await replicas.inputValue()).toBe('5');
    expect(await memory.inputValue()).toBe('300');
    await page.getByText('(Berth has 2)').waitFor();

    await page.getByRole('button', { name: 'Scale', exact: true }).click();
    await page.getByText('Scaling to 5').waitFor();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    expect((await f.api('GET', `/apps/${app.id}`)).body).toMatchObject({ replicas: 5, memoryLimitMi: 300, cpuLimitMillicores: 500 });
    expect(await page.getByText(/Berth has/).count()).toBe(0);
    // Saved, the fields follow Berth again.
    expect((await f.api('POST', '/deploy/scale', { appId: app.id, replicas: 4 })).status).toBe(200);
    await reread();
    await expect.poll(() => replicas.inputValue(), { timeout: 30_000 }).toBe('4');
  });
});
