// Public shares and custom domains (spec 000) over real HTTP. DNS is the one boundary that
// cannot run here: verification talks to a fake resolver whose answers each test sets.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DnsResolver } from '../../src/core/ports/dns.js';
import { anotherWorkspace } from '../support/another-workspace.js';
import { anApp } from '../support/builders.js';
import { expectError } from '../support/expect-error.js';
import { shiftableClock } from '../support/shiftable-clock.js';
import { backends, startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';

/** A DNS that answers what the test put in it, and nothing for any other name. */
function fakeDns(): DnsResolver & { cnames: Map<string, string[]>; txts: Map<string, string[]> } {
  const cnames = new Map<string, string[]>();
  const txts = new Map<string, string[]>();
  return { cnames, txts, cname: async (host) => cnames.get(host) ?? [], txt: async (host) => txts.get(host) ?? [] };
}

const hour = 3_600_000;

describe.each(backends)('shares and domains on %s', (backend) => {
  let t: TestBerth;
  const dns = fakeDns();
  const clock = shiftableClock();
  let app: { id: string; slug: string };
  const base = () => `/api/v1/workspaces/${t.workspaceId}/apps/${app.id}`;

  beforeAll(async () => {
    t = await startTestBerth(backend, { start: { dns, clock } });
  });
  afterAll(async () => t?.close());
  beforeEach(async () => {
    app = (await t.request('POST', `/api/v1/workspaces/${t.workspaceId}/apps`, { body: anApp() })).body;
  });

  describe('public shares', () => {
    it('creates a share with a token and a URL naming the app and the token', async () => {
      const created = await t.request('POST', `${base()}/public-shares`, { body: {} });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        id: expect.stringMatching(/^shr_/),
        appId: app.id,
        token: expect.stringMatching(/^[A-Za-z0-9_-]{24,}$/),
        url: expect.any(String),
        requireAuth: false,
        expiresAt: null,
        createdAt: expect.any(String),
      });
      expect(created.body.url.startsWith(`http://${app.slug}.localhost:${t.berth.edgePort}/`)).toBe(true);
      expect(created.body.url).toContain(created.body.token);

      const expiresAt = new Date(Date.now() + 24 * hour).toISOString();
      const second = await t.request('POST', `${base()}/public-shares`, { body: { expiresAt, requireAuth: true } });
      expect(second.status).toBe(201);
      expect(second.body).toMatchObject({ expiresAt, requireAuth: true });
      expect(second.body.token).not.toBe(created.body.token);
      expect((await t.request('POST', `${base()}/public-shares`)).status).toBe(201);
    });

    it('lists active shares, and revoking removes one; revoking again is 404', async () => {
      const a = (await t.request('POST', `${base()}/public-shares`, { body: {} })).body;
      const b = (await t.request('POST', `${base()}/public-shares`, { body: {} })).body;
      const listed = await t.request('GET', `${base()}/public-shares`);
      expect(listed.status).toBe(200);
      expect(listed.body).toHaveLength(2);
      expect(listed.body).toEqual(expect.arrayContaining([a, b]));

      const revoked = await t.request('DELETE', `${base()}/public-shares/${a.id}`);
      expect(revoked.status).toBe(204);
      expect(revoked.body).toBeNull();
      expect((await t.request('GET', `${base()}/public-shares`)).body).toEqual([b]);
      expectError(await t.request('DELETE', `${base()}/public-shares/${a.id}`), 404, 'Share not found');
      expectError(await t.request('DELETE', `${base()}/public-shares/shr_nope`), 404, 'Share not found');
    });

    it('refuses an expiry in the past or not a date, and drops a share from the list once it expires', async () => {
      const past = new Date(Date.now() - 1000).toISOString();
      expectError(
        await t.request('POST', `${base()}/public-shares`, { body: { expiresAt: past } }),
        400,
        'expiresAt must be in the future',
      );
      expectError(await t.request('POST', `${base()}/public-shares`, { body: { expiresAt: 'soon' } }), 400, [
        'expiresAt must match format "date-time"',
      ]);
      expectError(await t.request('POST', `${base()}/public-shares`, { body: { requireAuth: 'no' } }), 400, [
        'requireAuth must be of type boolean',
      ]);
      expect((await t.request('GET', `${base()}/public-shares`)).body).toEqual([]);

      const expiresAt = new Date(clock.now().getTime() + hour).toISOString();
      expect((await t.request('POST', `${base()}/public-shares`, { body: { expiresAt } })).status).toBe(201);
      clock.advance(2 * hour);
      try {
        expect((await t.request('GET', `${base()}/public-shares`)).body).toEqual([]);
      } finally {
        clock.reset();
      }
    });

    it('404s the shares of an unknown app', async () => {
      const unknown = `/api/v1/workspaces/${t.workspaceId}/apps/app_nope/public-shares`;
      expectError(await t.request('GET', unknown), 404, 'App not found');
      expectError(await t.request('POST', unknown, { body: {} }), 404, 'App not found');
    });
  });

  describe('custom domains', () => {
    const add = (domain: unknown, extra: object = {}) =>
      t.request('POST', `${base()}/domains`, { body: { domain, ...extra } });

    it('adds a domain, normalised to lower case, with the DNS records to create', async () => {
      const added = await add('API.Example.COM.', { targetPort: 3000 });
      expect(added.status).toBe(201);
      expect(added.body).toEqual({
        id: expect.stringMatching(/^dom_/),
        domain: 'api.example.com',
        targetPort: 3000,
        verified: false,
        tlsStatus: 'pending',
        tlsError: null,
        tlsExpiresAt: null,
        verifiedAt: null,
        createdAt: expect.any(String),
        dnsRecords: [
          { type: 'CNAME', name: 'api.example.com', value: 'ingress.localhost' },
          { type: 'TXT', name: '_berth-challenge.api.example.com', value: expect.stringMatching(/^\S{16,}$/) },
        ],
      });
      const listed = await t.request('GET', `${base()}/domains`);
      expect(listed.status).toBe(200);
      expect(listed.body).toEqual([added.body]);
    });

    it.each([
      ['10.0.0.1', 'domain must be a hostname, not an IP address'],
      ['intranet', 'domain must be fully qualified, e.g. api.example.com'],
      ['shop.localhost', 'domain must not be under localhost, which Berth uses for app URLs'],
      ['localhost', 'domain must be fully qualified, e.g. api.example.com'],
      ['bad_host.example.com', 'domain must contain only letters, digits, hyphens and dots, e.g. api.example.com'],
      ['exa mple.com', 'domain must contain only letters, digits, hyphens and dots, e.g. api.example.com'],
      ['-lead.example.com', 'domain must contain only letters, digits, hyphens and dots, e.g. api.example.com'],
      ['a..example.com', 'domain must contain only letters, digits, hyphens and dots, e.g. api.example.com'],
      ['https://example.com/x', 'domain must contain only letters, digits, hyphens and dots, e.g. api.example.com'],
    ])('refuses %j with 400', async (domain, message) => {
      expectError(await add(domain), 400, message);
    });

    it('refuses a missing or empty domain and a bad port, listing the problems', async () => {
      expectError(await t.request('POST', `${base()}/domains`, { body: {} }), 400, ['domain is required']);
      expectError(await add('', { targetPort: 0 }), 400, [
        'domain must NOT have fewer than 1 characters',
        'targetPort must be >= 1',
      ]);
      expectError(await add('ok.example.com', { targetPort: 70000 }), 400, ['targetPort must be <= 65535']);
      expect((await t.request('GET', `${base()}/domains`)).body).toEqual([]);
    });

    it('answers 409 for a hostname another app of the same workspace claims, never for another workspace', async () => {
      expect((await add('taken.example.com')).status).toBe(201);
      expectError(await add('taken.example.com'), 409, 'Domain taken.example.com is already in use');
      expectError(await add('TAKEN.example.com'), 409, 'Domain taken.example.com is already in use');
      const sibling = (await t.request('POST', `/api/v1/workspaces/${t.workspaceId}/apps`, { body: anApp() })).body;
      expectError(
        await t.request('POST', `/api/v1/workspaces/${t.workspaceId}/apps/${sibling.id}/domains`, {
          body: { domain: 'taken.example.com' },
        }),
        409,
      );
      // An unverified claim elsewhere blocks nobody, and the answer says nothing about it.
      const other = await anotherWorkspace(t);
      const theirs = (
        await t.request('POST', `/api/v1/workspaces/${other.workspaceId}/apps`, { key: other.key, body: anApp() })
      ).body;
      const claimed = await t.request('POST', `/api/v1/workspaces/${other.workspaceId}/apps/${theirs.id}/domains`, {
        key: other.key,
        body: { domain: 'taken.example.com' },
      });
      expect(claimed.status).toBe(201);
      expect(claimed.body).toMatchObject({ domain: 'taken.example.com', verified: false });
      expect(JSON.stringify(claimed.body)).not.toContain(t.workspaceId);
      expect(JSON.stringify(claimed.body)).not.toContain(app.id);
    });

    it('with claims in two workspaces, the one that proves its TXT token is routed; the CNAME alone proves nothing', async () => {
      const mine = (await add('shared.example.com')).body;
      const other = await anotherWorkspace(t);
      const theirApp = (await t.request('POST', `/api/v1/workspaces/${other.workspaceId}/apps`, { key: other.key, body: anApp() })).body;
      const theirsPath = `/api/v1/workspaces/${other.workspaceId}/apps/${theirApp.id}/domains`;
      const theirs = (await t.request('POST', theirsPath, { key: other.key, body: { domain: 'shared.example.com' } })).body;
      const cname = mine.dnsRecords.find((r: { type: string }) => r.type === 'CNAME');
      dns.cnames.set(cname.name, [cname.value]);
      expect((await t.request('POST', `${theirsPath}/${theirs.id}/verify`, { key: other.key })).body.verified).toBe(false);
      expect((await t.request('POST', `${base()}/domains/${mine.id}/verify`)).body.verified).toBe(false);

      const txt = theirs.dnsRecords.find((r: { type: string }) => r.type === 'TXT');
      dns.txts.set(txt.name, [txt.value]);
      expect((await t.request('POST', `${theirsPath}/${theirs.id}/verify`, { key: other.key })).body.verified).toBe(true);
      expect((await t.request('POST', `${base()}/domains/${mine.id}/verify`)).body.verified).toBe(false);
      const routed = (await t.berth.store.domains.listVerified()).filter((d) => d.domain === 'shared.example.com');
      expect(routed.map((d) => d.appId)).toEqual([theirApp.id]);

      // The DNS changes hands: the first workspace proves its token, and its claim is the one routed.
      dns.txts.set(txt.name, [mine.dnsRecords.find((r: { type: string }) => r.type === 'TXT').value]);
      expect((await t.request('POST', `${base()}/domains/${mine.id}/verify`)).body.verified).toBe(true);
      expect((await t.request('GET', theirsPath, { key: other.key })).body[0]).toMatchObject({ verified: false, verifiedAt: null });
      expect((await t.berth.store.domains.listVerified()).filter((d) => d.domain === 'shared.example.com').map((d) => d.appId)).toEqual([app.id]);
      dns.cnames.delete(cname.name);
      dns.txts.delete(txt.name);
    });

    it('removes a domain: 204, gone from the list, the hostname free again; removing again is 404', async () => {
      const added = (await add('gone.example.com')).body;
      const removed = await t.request('DELETE', `${base()}/domains/${added.id}`);
      expect(removed.status).toBe(204);
      expect(removed.body).toBeNull();
      expect((await t.request('GET', `${base()}/domains`)).body).toEqual([]);
      expectError(await t.request('DELETE', `${base()}/domains/${added.id}`), 404, 'Domain not found');
      expect((await add('gone.example.com')).status).toBe(201);
    });

    it("404s another app's domain through this app's path", async () => {
      const added = (await add('mine.example.com')).body;
      const sibling = (await t.request('POST', `/api/v1/workspaces/${t.workspaceId}/apps`, { body: anApp() })).body;
      const viaSibling = `/api/v1/workspaces/${t.workspaceId}/apps/${sibling.id}/domains/${added.id}`;
      expectError(await t.request('DELETE', viaSibling), 404, 'Domain not found');
      expectError(await t.request('POST', `${viaSibling}/verify`), 404, 'Domain not found');
      expect((await t.request('GET', `${base()}/domains`)).body).toHaveLength(1);
    });

    it('verify flips verified to true only once the CNAME points at the edge', async () => {
      const added = (await add('cname.example.com')).body;
      const cname = added.dnsRecords.find((r: { type: string }) => r.type === 'CNAME');
      const verify = () => t.request('POST', `${base()}/domains/${added.id}/verify`);

      const none = await verify();
      expect(none.status).toBe(200);
      expect(none.body).toMatchObject({ id: added.id, verified: false, verifiedAt: null });
      dns.cnames.set('cname.example.com', ['somewhere-else.example.net']);
      expect((await verify()).body.verified).toBe(false);

      dns.cnames.set(cname.name, [cname.value]);
      const ok = await verify();
      expect(ok.body).toMatchObject({
        id: added.id,
        domain: 'cname.example.com',
        verified: true,
        verifiedAt: expect.any(String),
        // This test Berth's edge has no TLS listener: no certificate is coming, and the answer says why.
        tlsStatus: 'pending',
        tlsError: expect.stringContaining("this Berth's edge serves no HTTPS (BERTH_EDGE_TLS_PORT is not set)"),
      });
      expect((await t.request('GET', `${base()}/domains`)).body[0]).toMatchObject({
        verified: true,
        verifiedAt: ok.body.verifiedAt,
      });
    });

    it('verify flips verified to true only once the TXT record holds the token', async () => {
      const added = (await add('txt.example.com')).body;
      const txt = added.dnsRecords.find((r: { type: string }) => r.type === 'TXT');
      const verify = () => t.request('POST', `${base()}/domains/${added.id}/verify`);

      dns.txts.set(txt.name, ['some-other-token']);
      expect((await verify()).body.verified).toBe(false);
      dns.txts.set('txt.example.com', [txt.value]);
      expect((await verify()).body.verified).toBe(false);
      dns.txts.set(txt.name, ['v=spf1 -all', txt.value]);
      expect((await verify()).body).toMatchObject({ verified: true, verifiedAt: expect.any(String) });
      expectError(await t.request('POST', `${base()}/domains/dom_nope/verify`), 404, 'Domain not found');
    });
  });
});
