// `berth domains list <app>` lists any app's domains, even an app named like a subcommand (add,
// verify, remove, list), which the bare `berth domains <app>` takes for the subcommand; the bare
// form keeps listing other apps, and the help says which to use.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliHome } from '../support/cli-home.js';
import type { CliHome } from '../support/cli-home.js';
import { fakeDns } from '../support/fake-dns.js';
import { startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';

describe('berth domains list', { timeout: 120_000 }, () => {
  let t: TestBerth;
  let home: CliHome;
  const ws = (rest: string) => `/api/v1/workspaces/${t.workspaceId}${rest}`;
  const slugs = ['add', 'verify', 'remove', 'list', 'shop'];

  beforeAll(async () => {
    t = await startTestBerth('sqlite', { start: { dns: fakeDns() }, env: { BERTH_ISOLATION: 'off' } });
    home = cliHome(() => t);
    for (const slug of slugs) {
      expect((await t.request('POST', ws('/apps'), { body: { name: slug, slug } })).status).toBe(201);
      expect((await t.request('POST', ws(`/apps/${slug}/domains`), { body: { domain: `${slug}.example.com` } })).status).toBe(201);
    }
  });
  afterAll(async () => {
    await t?.close();
    home?.close();
  });

  it('lists the domains of an app of any name, the bare form those of other apps', async () => {
    for (const slug of slugs) {
      const listed = await home.berth(['domains', 'list', slug]);
      expect(listed.code, listed.stderr).toBe(0);
      expect(listed.stdout).toMatch(new RegExp(`^HOSTNAME\\s+VERIFIED\\s+TLS\\n${slug}\\.example\\.com\\s+no\\s+pending\\n`));
    }
    const json = await home.berth(['domains', 'list', 'add', '--json']);
    expect(JSON.parse(json.stdout)).toEqual((await t.request('GET', ws('/apps/add/domains'))).body);
    const bare = await home.berth(['domains', 'shop']);
    expect(bare.code, bare.stderr).toBe(0);
    expect(bare.stdout).toMatch(/^shop\.example\.com\s+no\s+pending$/m);
  });

  it('the help names `domains list <app>` as the form that always works, and a missing domain points at it', async () => {
    const help = await home.berth(['domains', '--help']);
    expect(help.stdout).toMatch(/^ {2}list \[options\] <app>\s+list an app's domains/m);
    expect(help.stdout).toContain('An app named list, add, verify or remove is taken for the subcommand here: `berth domains list <app>` lists any app');
    const missing = await home.berth(['domains', 'verify', 'add', 'www.example.org']);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toContain('berth: add has no domain www.example.org (berth domains list add lists them)');
  });
});
