// Certificates for custom domains from a real ACME CA (pebble on loopback): obtained when the
// domain is verified, answered over HTTP-01 by the edge itself, served over HTTPS (HTTP/1.1 and
// HTTP/2) with plain HTTP redirected; a failure shows its reason and a cert_failed alert, is
// retried with backoff and recovers; removing the domain revokes and deletes its certificate.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DnsResolver } from '../../src/core/ports/dns.js';
import { hasPebble, startPebble, type Pebble } from '../support/pebble.js';
import { releasePort, reservePort } from '../support/reserved-port.js';
import { startTestBerth, type TestBerth } from '../support/test-berth.js';
import { h2Request, httpsRequest } from '../support/tls-client.js';
import { createApp, deployDir, wsPath } from './support/berth-actions.js';
import { edgeRequest, until } from './support/edge-client.js';
import { instanceApp } from './support/instance-app.js';

/** Every custom domain points at the edge. */
const pointedDns: DnsResolver = { cname: async () => ['ingress.localhost'], txt: async () => [] };

interface DomainView {
  id: string;
  domain: string;
  verified: boolean;
  tlsStatus: string;
  tlsError: string | null;
  tlsExpiresAt: string | null;
}

describe.runIf(hasPebble())('certificates from an ACME CA (pebble)', () => {
  let pebble: Pebble;
  let t: TestBerth;
  let appId = '';
  let httpPort = 0;
  let tlsPort = 0;
  let root = '';

  async function addDomain(domain: string): Promise<DomainView> {
    const added = await t.request<DomainView>('POST', wsPath(t, `/apps/${appId}/domains`), { body: { domain } });
    expect(added.status).toBe(201);
    const verified = await t.request<DomainView>('POST', wsPath(t, `/apps/${appId}/domains/${added.body.id}/verify`));
    expect(verified.body.verified).toBe(true);
    return verified.body;
  }

  async function domain(name: string): Promise<DomainView | undefined> {
    const listed = await t.request<DomainView[]>('GET', wsPath(t, `/apps/${appId}/domains`));
    return listed.body.find((d) => d.domain === name);
  }

  async function alerts(): Promise<{ type: string; message: string; resolved: boolean }[]> {
    const listed = await t.request<{ type: string; message: string; resolved: boolean }[]>(
      'GET',
      wsPath(t, `/monitoring/alerts?appId=${appId}`),
    );
    return listed.body;
  }

  beforeAll(async () => {
    // Reserved, not merely free now: pebble validates http-01 on it, and Berth binds it later.
    httpPort = await reservePort();
    pebble = await startPebble({ httpPort });
    t = await startTestBerth('sqlite', {
      env: {
        BERTH_EDGE_PORT: String(httpPort),
        BERTH_EDGE_TLS_PORT: '0',
        BERTH_ACME_DIRECTORY_URL: pebble.directoryUrl,
        BERTH_ACME_CA_FILE: pebble.caFile,
        BERTH_ACME_RETRY_MS: '1000',
        BERTH_METRICS_INTERVAL_MS: '200',
      },
      start: { dns: pointedDns },
    });
    tlsPort = t.berth.edgeTlsPort ?? 0;
    root = await pebble.issuingRoot();
    appId = await createApp(t, { name: 'Shop', slug: 'shop', visibility: 'public' });
    expect((await deployDir(t, appId, instanceApp('shop'), 'dir:shop')).deployment.status).toBe('succeeded');
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await pebble?.stop();
    releasePort(httpPort);
  });

  it('obtains a certificate once the domain is verified and serves it over HTTP/1.1 and HTTP/2', async () => {
    expect((await addDomain('shop.example.test')).tlsStatus).toBe('pending');
    const active = await until(
      () => domain('shop.example.test'),
      (d) => d?.tlsStatus === 'active',
      30_000,
    );
    expect(active).toMatchObject({ tlsStatus: 'active', tlsError: null });
    expect(new Date(active?.tlsExpiresAt ?? 0).getTime()).toBeGreaterThan(Date.now());

    const h1 = await httpsRequest({ port: tlsPort, name: 'shop.example.test', ca: root, path: '/hello' });
    expect(h1.status).toBe(200);
    expect(JSON.parse(h1.body)).toMatchObject({ text: 'shop', path: '/hello' });
    expect(h1.certificate.issuer).toMatch(/Pebble/);
    expect(h1.certificate.names).toBe('DNS:shop.example.test');

    const h2 = await h2Request({ port: tlsPort, name: 'shop.example.test', ca: root, path: '/two' });
    expect(h2.protocol).toBe('h2');
    expect(h2.status).toBe(200);
    expect(JSON.parse(h2.body)).toMatchObject({ text: 'shop', path: '/two' });
  }, 60_000);

  it('redirects plain HTTP to HTTPS for the domain, but not the ACME challenge path', async () => {
    const plain = await edgeRequest(httpPort, 'shop.example.test', { path: '/page?x=1' });
    expect(plain.status).toBe(308);
    expect(plain.headers.location).toBe(`https://shop.example.test:${tlsPort}/page?x=1`);
    const challenge = await edgeRequest(httpPort, 'shop.example.test', {
      path: '/.well-known/acme-challenge/nothing-here',
    });
    expect(challenge.status).toBe(404);
    // The base-domain name has no certificate: served over plain HTTP as before.
    expect((await edgeRequest(httpPort, 'shop.localhost', { path: '/' })).status).toBe(200);
  });

  it('keeps the account and certificate keys in the data dir, 0600, and never shows them', async () => {
    const dir = path.join(t.dataDir, 'tls');
    for (const file of [
      'account-key.pem',
      'certs/shop.example.test.key.pem',
      'certs/shop.example.test.crt.pem',
      'state.json',
    ])
      expect(fs.statSync(path.join(dir, file)).mode & 0o777).toBe(0o600);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    const listed = await t.request('GET', wsPath(t, `/apps/${appId}/domains`));
    expect(JSON.stringify(listed.body)).not.toMatch(/PRIVATE KEY/);
  });

  it('shows why issuance failed, raises cert_failed, retries with backoff and recovers', async () => {
    await pebble.setAddress('broken.example.test', '127.0.0.2'); // nothing listens there
    await addDomain('broken.example.test');
    const failed = await until(
      () => domain('broken.example.test'),
      (d) => d?.tlsStatus === 'failed',
      30_000,
    );
    expect(failed?.tlsError).toMatch(/127\.0\.0\.2|connection refused|connect/i);
    const state = JSON.parse(fs.readFileSync(path.join(t.dataDir, 'tls', 'state.json'), 'utf8')) as {
      hosts: Record<string, { failures: number; nextAttemptAt: string | null }>;
    };
    expect(state.hosts['broken.example.test']?.failures).toBeGreaterThanOrEqual(1);
    expect(state.hosts['broken.example.test']?.nextAttemptAt).not.toBeNull();
    // The open cert_failed alert names every failing domain: look for the one that names this host.
    const raised = await until(alerts, (list) => list.some((a) => a.type === 'cert_failed' && !a.resolved && a.message.includes('broken.example.test')), 10_000);
    expect(raised.find((a) => a.type === 'cert_failed' && a.message.includes('broken.example.test'))?.message).toMatch(/TLS certificate for broken\.example\.test could not be issued/);

    await pebble.clearAddress('broken.example.test');
    const active = await until(
      () => domain('broken.example.test'),
      (d) => d?.tlsStatus === 'active',
      40_000,
    );
    expect(active).toMatchObject({ tlsStatus: 'active', tlsError: null });
    const ours = (a: { type: string; message: string; resolved: boolean }) => a.type === 'cert_failed' && a.message.includes('broken.example.test');
    const resolved = await until(alerts, (list) => list.some((a) => ours(a) && a.resolved), 10_000);
    expect(resolved.filter(ours).every((a) => a.resolved)).toBe(true);
  }, 90_000);

  it('revokes and deletes the certificate when the domain is removed', async () => {
    const before = await httpsRequest({ port: tlsPort, name: 'shop.example.test', ca: root });
    expect(await pebble.certStatus(before.certificate.serial)).toBe('Valid');
    const shop = await domain('shop.example.test');
    expect((await t.request('DELETE', wsPath(t, `/apps/${appId}/domains/${shop?.id ?? ''}`))).status).toBe(204);
    await until(
      () => pebble.certStatus(before.certificate.serial),
      (status) => status === 'Revoked',
      10_000,
    );
    expect(await pebble.certStatus(before.certificate.serial)).toBe('Revoked');
    expect(fs.existsSync(path.join(t.dataDir, 'tls', 'certs', 'shop.example.test.crt.pem'))).toBe(false);
    await expect(httpsRequest({ port: tlsPort, name: 'shop.example.test', ca: root })).rejects.toThrow();
  }, 30_000);
});
