// API keys in the console, in Chromium against a real Berth: a key made with the chosen scopes is
// shown once and can be revoked, and a key revoked while signed in ends the session with Berth's
// reason, then signing in again lands back where the user was.
import { describe, expect, it } from 'vitest';
import { inPage, unlabelledControls } from '../support/console-browser.js';
import { useConsoleFixture } from '../support/console-fixture.js';

describe('API keys and sessions in the console', { timeout: 120_000 }, () => {
  const f = useConsoleFixture();

  it('makes an API key shown once with the chosen scopes, and revokes it', async () => {
    const page = await f.signedIn(f.t.key);
    await page.getByRole('link', { name: 'API keys' }).click();
    await page.getByRole('heading', { name: 'API keys' }).waitFor();
    await page.getByText('this browser tab signed in with it').waitFor();
    expect(await unlabelledControls(page)).toEqual([]);
    await page.getByLabel('Name').fill('ci deploys');
    await page.getByRole('checkbox', { name: 'apps:read read apps' }).check();
    await page.getByRole('checkbox', { name: 'deploy:write deploy, scale' }).check();
    await page.getByRole('button', { name: 'Create key' }).click();
    const shown = await page.getByRole('status').filter({ hasText: 'shown once' }).locator('code').innerText();
    const who = await f.t.request('GET', '/api/v1/api-keys/whoami', { key: shown });
    expect(who.status).toBe(200);
    expect(who.body.scopes.sort()).toEqual(['apps:read', 'deploy:write']);
    const made = (await f.api('GET', '/api-keys')).body.find((k: { name: string }) => k.name === 'ci deploys');
    await page.getByRole('button', { name: `Revoke ci deploys (${made.keyPrefix})` }).click();
    await expect.poll(() => page.getByRole('cell', { name: 'ci deploys' }).count()).toBe(0);
    expect((await f.t.request('GET', '/api/v1/api-keys/whoami', { key: shown })).status).toBe(401);
  });

  it('ends the session with the reason when the signed-in key is revoked', async () => {
    const made = (await f.api('POST', '/api-keys', { name: 'short-lived', scopes: ['apps:read', 'monitoring:read'] })).body;
    const page = await f.signedIn(made.key);
    expect((await f.t.request('DELETE', `/api/v1/workspaces/${f.t.workspaceId}/api-keys/${made.id}`)).status).toBe(204);
    // The next read with the key (here opening the overview; any background refresh does the same) ends the
    // session. Opened within the page, not by reloading it: a refresh that ended the session just before a
    // reload would take the reason away with the page.
    await inPage(page, "history.pushState(null, '', '/overview'); dispatchEvent(new PopStateEvent('popstate'))");
    await page.getByLabel('API key').waitFor({ timeout: 15_000 });
    const refused = await f.t.request('GET', '/api/v1/api-keys/whoami', { key: made.key });
    expect(await page.getByRole('status').innerText()).toContain(`Berth refused your API key (${refused.body.message})`);
    expect(await inPage(page, 'Object.keys(sessionStorage)')).toEqual([]);
    // Signing in again with a good key lands back where the user was.
    await page.getByLabel('API key').fill(f.t.key);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Workspace overview' }).waitFor();
  });
});
