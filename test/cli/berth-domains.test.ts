// `berth domains` against a real Berth over HTTP (DNS answered by a fake resolver): the records
// to create, verification that exits 1 until DNS shows them, removal by hostname, and the API's
// own words and exit codes for what it refuses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliHome } from '../support/cli-home.js';
import type { CliHome } from '../support/cli-home.js';
import { fakeDns } from '../support/fake-dns.js';
import { startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';

interface Domain {
  id: string;
  domain: string;
  verified: boolean;
  dnsRecords: { type: string; name: string; value: string }[];
}

describe('berth domains', { timeout: 120_000 }, () => {
  let t: TestBerth;
  let home: CliHome;
  const dns = fakeDns();
  const ws = (rest: string) => `/api/v1/workspaces/${t.workspaceId}${rest}`;
  const domains = async () => (await t.request<Domain[]>('GET', ws('/apps/shop/domains'))).body;
  const recordLine = (r: { type: string; name: string; value: string }) => new RegExp(`^${r.type}\\s+${r.name.replace(/\./g, '\\.')}\\s+${r.value.replace(/\./g, '\\.')}$`, 'm');

  beforeAll(async () => {
    t = await startTestBerth('sqlite', { start: { dns }, env: { BERTH_ISOLATION: 'off' } });
    home = cliHome(() => t);
    expect((await t.request('POST', ws('/apps'), { body: { name: 'Shop', slug: 'shop' } })).status).toBe(201);
  });
  afterAll(async () => {
    await t?.close();
    home?.close();
  });

  it('berth help names the domains and databases commands and their subcommands', async () => {
    const [top, databases] = await Promise.all([home.berth(['help']), home.berth(['help', 'databases'])]);
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/^ {2}domains \[options\] <app> .*add, verify, remove$/m);
    expect(top.stdout).toMatch(/^ {2}databases \[options\] .*create, info, attach, detach, query, delete$/m);
    for (const sub of ['create [options] <name>', 'info [options] <db>', 'attach [options] <db> <app>', 'detach [options] <db> <app>', 'query [options] <db> <sql>', 'delete [options] <db>'])
      expect(databases.stdout).toContain(`  ${sub}`);
  });

  it('add prints the DNS records to create; the list shows hostname, verification, TLS and the records', async () => {
    const added = await home.berth(['domains', 'add', 'shop', 'API.Example.com']);
    expect(added.code, added.stderr).toBe(0);
    const [domain] = await domains();
    expect(domain?.domain).toBe('api.example.com');
    expect(domain?.dnsRecords.map((r) => r.type)).toEqual(['CNAME', 'TXT']);
    for (const record of domain?.dnsRecords ?? []) expect(added.stdout).toMatch(recordLine(record));
    expect(added.stderr).toContain('then run: berth domains verify shop api.example.com');

    const listed = await home.berth(['domains', 'shop']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/^HOSTNAME\s+VERIFIED\s+TLS\napi\.example\.com\s+no\s+pending\n/);
    for (const record of domain?.dnsRecords ?? []) expect(listed.stdout).toMatch(recordLine(record));
    expect(JSON.parse((await home.berth(['domains', 'shop', '--json'])).stdout)).toEqual(await domains());
  });

  it('refuses what the API refuses, in its words: a bad hostname (5), an unknown app (4), an unknown hostname (4)', async () => {
    const bad = await home.berth(['domains', 'add', 'shop', 'not a hostname']);
    expect(bad.code).toBe(5);
    const direct = await t.request<{ message: string | string[] }>('POST', ws('/apps/shop/domains'), { body: { domain: 'not a hostname' } });
    expect(bad.stderr.trim()).toBe(`berth: ${[direct.body.message].flat().join('; ')}`);
    const noApp = await home.berth(['domains', 'no-such-app']);
    expect(noApp.code).toBe(4);
    expect(noApp.stderr).toContain('berth: App not found');
    const noDomain = await home.berth(['domains', 'verify', 'shop', 'www.example.org']);
    expect(noDomain.code).toBe(4);
    expect(noDomain.stderr).toContain('shop has no domain www.example.org');
    expect((await domains()).map((d) => d.domain)).toEqual(['api.example.com']);
  });

  it('verify exits 1 until DNS holds a record, then 0; remove takes the domain away by its hostname', async () => {
    const pending = await home.berth(['domains', 'verify', 'shop', 'api.example.com']);
    expect(pending.code).toBe(1);
    expect(pending.stderr).toContain('berth: api.example.com is not verified yet');
    const txt = (await domains())[0]?.dnsRecords.find((r) => r.type === 'TXT');
    expect(pending.stdout).toMatch(recordLine(txt!));

    dns.txts.set(txt!.name, [txt!.value]);
    const verified = await home.berth(['domains', 'verify', 'shop', 'API.example.com.']);
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/^api\.example\.com is verified; TLS: /);
    expect((await domains())[0]?.verified).toBe(true);
    expect((await home.berth(['domains', 'shop'])).stdout).toMatch(/^api\.example\.com\s+yes\s+/m);

    const removed = await home.berth(['domains', 'remove', 'shop', 'api.example.com']);
    expect(removed.code, removed.stderr).toBe(0);
    expect(await domains()).toEqual([]);
    const empty = await home.berth(['domains', 'shop']);
    expect(empty.stdout).toBe('');
    expect(empty.stderr).toContain('shop has no custom domain');
  });
});
