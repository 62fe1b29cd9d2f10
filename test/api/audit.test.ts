// Every mutating call of issue 2 leaves one audit entry naming the calling key; a refused call
// leaves none. Read through the store the running Berth writes to.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DnsResolver } from '../../src/core/ports/dns.js';
import type { AuditEntry } from '../../src/domain/audit.js';
import { anApp } from '../support/builders.js';
import { backends, startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';

/** Every CNAME already points at Berth's edge, so verification succeeds. */
const pointedDns: DnsResolver = { cname: async () => ['ingress.localhost'], txt: async () => [] };

describe.each(backends)('the audit trail on %s', (backend) => {
  let t: TestBerth;
  let actor: { id: string; key: string };
  const ws = () => `/api/v1/workspaces/${t.workspaceId}`;
  const as = <T extends object>(options: T) => ({ ...options, key: actor.key });
  const auditCount = async () => (await t.berth.store.audit.list(t.workspaceId, 10_000)).length;

  /** Runs one call and returns the audit entries it added, oldest first. */
  async function audited(
    method: string,
    url: string,
    body?: unknown,
  ): Promise<{ status: number; body: any; entries: AuditEntry[] }> {
    const before = new Set((await t.berth.store.audit.list(t.workspaceId, 10_000)).map((entry) => entry.id));
    const result = await t.request(method, url, as(body === undefined ? {} : { body }));
    const entries = (await t.berth.store.audit.list(t.workspaceId, 10_000))
      .filter((entry) => !before.has(entry.id))
      .reverse();
    return { status: result.status, body: result.body, entries };
  }

  function expectEntry(entries: AuditEntry[], action: string, targetId: string) {
    expect(entries).toEqual([
      expect.objectContaining({
        workspaceId: t.workspaceId,
        actorKeyId: actor.id,
        action,
        targetId,
        createdAt: expect.any(Date),
      }),
    ]);
    expect(Date.now() - (entries[0]?.createdAt.getTime() ?? 0)).toBeLessThan(60_000);
  }

  beforeAll(async () => {
    t = await startTestBerth(backend, { start: { dns: pointedDns } });
    const scopes = ['apps:read', 'apps:write', 'env-vars:read', 'env-vars:write', 'api-keys:read', 'api-keys:write'];
    const created = await t.request('POST', `${ws()}/api-keys`, { body: { name: 'auditor', scopes } });
    actor = { id: created.body.id, key: created.body.key };
  });
  afterAll(async () => t?.close());

  it('records who did what for every mutating call', async () => {
    const key = await audited('POST', `${ws()}/api-keys`, { name: 'temp', scopes: ['apps:read'] });
    expectEntry(key.entries, 'api_key.create', key.body.id);
    const app = await audited('POST', `${ws()}/apps`, anApp());
    expect(app.status).toBe(201);
    expectEntry(app.entries, 'app.create', app.body.id);
    const base = `${ws()}/apps/${app.body.id}`;

    expectEntry((await audited('PATCH', base, { name: 'Renamed' })).entries, 'app.update', app.body.id);
    expectEntry(
      (await audited('PATCH', `${base}/source`, { type: 'GIT', gitRepoUrl: 'github.com/o/r' })).entries,
      'app.source.update',
      app.body.id,
    );

    const share = await audited('POST', `${base}/public-shares`, {});
    expectEntry(share.entries, 'share.create', share.body.id);
    expectEntry(
      (await audited('DELETE', `${base}/public-shares/${share.body.id}`)).entries,
      'share.revoke',
      share.body.id,
    );

    const domain = await audited('POST', `${base}/domains`, { domain: 'audited.example.com' });
    expectEntry(domain.entries, 'domain.add', domain.body.id);
    expectEntry(
      (await audited('POST', `${base}/domains/${domain.body.id}/verify`)).entries,
      'domain.verify',
      domain.body.id,
    );
    expectEntry(
      (await audited('DELETE', `${base}/domains/${domain.body.id}`)).entries,
      'domain.remove',
      domain.body.id,
    );

    const envVar = await audited('POST', `${base}/env-vars`, {
      key: 'TOKEN',
      value: 'sealed-value-123',
      isSecret: true,
    });
    expectEntry(envVar.entries, 'env_vars.set', app.body.id);
    expect(JSON.stringify(envVar.entries)).not.toContain('sealed-value-123');
    expectEntry(
      (await audited('POST', `${base}/env-vars/bulk`, { vars: [{ key: 'A', value: '1' }] })).entries,
      'env_vars.set',
      app.body.id,
    );
    expectEntry((await audited('DELETE', `${base}/env-vars/TOKEN`)).entries, 'env_vars.delete', app.body.id);

    expectEntry((await audited('DELETE', base)).entries, 'app.delete', app.body.id);
    expectEntry((await audited('DELETE', `${base}/permanent`)).entries, 'app.purge', app.body.id);
    expectEntry((await audited('DELETE', `${ws()}/api-keys/${key.body.id}`)).entries, 'api_key.delete', key.body.id);
  });

  it('records nothing for reads and refused calls', async () => {
    const app = (await t.request('POST', `${ws()}/apps`, as({ body: anApp() }))).body;
    const base = `${ws()}/apps/${app.id}`;
    const before = await auditCount();
    await t.request('GET', base, as({}));
    await t.request('GET', `${ws()}/apps`, as({}));
    await t.request('GET', `${base}/env-vars`, as({}));
    await t.request('PATCH', base, as({ body: { cpuLimitMillicores: 1 } }));
    await t.request(
      'POST',
      `${base}/env-vars/bulk`,
      as({
        body: {
          vars: [
            { key: 'OK', value: '1' },
            { key: '1BAD', value: '2' },
          ],
        },
      }),
    );
    await t.request('POST', `${base}/public-shares`, as({ body: { expiresAt: '2000-01-01T00:00:00Z' } }));
    await t.request('POST', `${base}/domains`, as({ body: { domain: 'not a domain' } }));
    await t.request('DELETE', `${ws()}/apps/app_missing`, as({}));
    await t.request('POST', `${ws()}/deploy/scale`, as({ body: { appId: app.id, replicas: 1 } }));
    expect(await auditCount()).toBe(before);
  });
});
