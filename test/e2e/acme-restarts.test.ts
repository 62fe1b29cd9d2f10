// Certificates across time and restarts, against pebble: an order a crashed Berth left behind is
// resumed (not ordered again), a restarted Berth serves the certificate it has (no reissue), and
// short-lived certificates are renewed before they expire, then left alone until due again.
// Every Berth here listens on the one edge port pebble validates http-01 on, so that port is
// reserved for the whole file (reserved-port.ts): no other test file can take it between a stop
// and the next start.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DnsResolver } from '../../src/core/ports/dns.js';
import { AcmeIssuer } from '../../src/edge/tls/acme-issuer.js';
import { TlsFiles, type PendingOrder } from '../../src/edge/tls/tls-files.js';
import { hasPebble, startPebble, type Pebble } from '../support/pebble.js';
import { releasePort, reservePort } from '../support/reserved-port.js';
import { startTestBerth, type TestBerth } from '../support/test-berth.js';
import { httpsRequest } from '../support/tls-client.js';
import { createApp, deployDir, wsPath } from './support/berth-actions.js';
import { until } from './support/edge-client.js';
import { instanceApp } from './support/instance-app.js';

const pointedDns: DnsResolver = { cname: async () => ['ingress.localhost'], txt: async () => [] };
const quiet = { info() {}, warn() {}, error() {} };

interface DomainView {
  id: string;
  domain: string;
  tlsStatus: string;
  tlsExpiresAt: string | null;
}

function berthEnv(pebble: Pebble, httpPort: number, acme = true): Record<string, string> {
  return {
    BERTH_EDGE_PORT: String(httpPort),
    BERTH_EDGE_TLS_PORT: '0',
    BERTH_ACME_DIRECTORY_URL: acme ? pebble.directoryUrl : 'off',
    BERTH_ACME_CA_FILE: pebble.caFile,
    BERTH_ACME_RETRY_MS: '1000',
  };
}

async function domainOf(t: TestBerth, appId: string, name: string): Promise<DomainView | undefined> {
  const listed = await t.request<DomainView[]>('GET', wsPath(t, `/apps/${appId}/domains`));
  return listed.body.find((d) => d.domain === name);
}

function stateOf(
  dataDir: string,
  host: string,
): { issuedBy: string | null; order: { url: string } | null } | undefined {
  const raw = JSON.parse(fs.readFileSync(path.join(dataDir, 'tls', 'state.json'), 'utf8')) as {
    hosts: Record<string, { issuedBy: string | null; order: { url: string } | null }>;
  };
  return raw.hosts[host];
}

describe.runIf(hasPebble())('an order left by a crash, and a restart with a certificate', () => {
  const host = 'resume.example.test';
  let pebble: Pebble;
  let httpPort = 0;
  let dataDir = '';
  let t: TestBerth | null = null;
  let appId = '';
  let savedOrder: PendingOrder | null = null;

  beforeAll(async () => {
    httpPort = await reservePort();
    pebble = await startPebble({ httpPort });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-acme-restart-'));
    // A first Berth (no ACME) where the domain is added and verified.
    const first = await startTestBerth('sqlite', {
      dataDir,
      env: berthEnv(pebble, httpPort, false),
      start: { dns: pointedDns },
    });
    appId = await createApp(first, { name: 'Resume', slug: 'resume', visibility: 'public' });
    expect((await deployDir(first, appId, instanceApp('resume'), 'dir:resume')).deployment.status).toBe('succeeded');
    const added = await first.request<DomainView>('POST', wsPath(first, `/apps/${appId}/domains`), {
      body: { domain: host },
    });
    await first.request('POST', wsPath(first, `/apps/${appId}/domains/${added.body.id}/verify`));
    await first.close();

    // Berth died right after it ordered the certificate, before it answered the challenge.
    const files = new TlsFiles(path.join(dataDir, 'tls'));
    const issuer = new AcmeIssuer(
      { directoryUrl: pebble.directoryUrl, email: null, caPem: fs.readFileSync(pebble.caFile, 'utf8') },
      files,
      quiet,
    );
    const crashed = issuer.obtain(host, null, {
      saveOrder: (order) => {
        savedOrder = order;
        files.saveStates(
          new Map([[host, { failures: 0, nextAttemptAt: null, lastError: null, order, issuedBy: null }]]),
        );
      },
      challenges: {
        put: async () => {
          throw new Error('killed');
        },
        remove: () => {},
      },
    });
    await expect(crashed).rejects.toThrow('killed');
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await pebble?.stop();
    releasePort(httpPort);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('finishes the saved order when Berth starts again, without ordering another', async () => {
    expect(savedOrder).not.toBeNull();
    expect(stateOf(dataDir, host)?.order?.url).toBe(savedOrder?.url);
    t = await startTestBerth('sqlite', { dataDir, env: berthEnv(pebble, httpPort), start: { dns: pointedDns } });
    const active = await until(
      () => domainOf(t as TestBerth, appId, host),
      (d) => d?.tlsStatus === 'active',
      30_000,
    );
    expect(active?.tlsStatus).toBe('active');
    expect(stateOf(dataDir, host)).toMatchObject({ issuedBy: savedOrder?.url, order: null });
  }, 60_000);

  it('serves the certificate it has after a restart, and orders nothing', async () => {
    const root = await pebble.issuingRoot();
    const before = await httpsRequest({ port: t?.berth.edgeTlsPort ?? 0, name: host, ca: root });
    const issuedBy = stateOf(dataDir, host)?.issuedBy;
    await t?.close();
    t = await startTestBerth('sqlite', { dataDir, env: berthEnv(pebble, httpPort), start: { dns: pointedDns } });
    const after = await until(
      () => httpsRequest({ port: t?.berth.edgeTlsPort ?? 0, name: host, ca: root }).catch(() => null),
      (reply) => reply !== null,
      10_000,
    );
    expect(after?.certificate.serial).toBe(before.certificate.serial);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(stateOf(dataDir, host)?.issuedBy).toBe(issuedBy);
    expect((await domainOf(t, appId, host))?.tlsStatus).toBe('active');
  }, 60_000);
});

describe.runIf(hasPebble())('renewal of short-lived certificates', () => {
  const host = 'renew.example.test';
  let pebble: Pebble;
  let t: TestBerth;
  let appId = '';
  let httpPort = 0;

  beforeAll(async () => {
    httpPort = await reservePort();
    // 24 s certificates: renewed when a third of the lifetime is left, 16 s after issuance.
    pebble = await startPebble({ httpPort, validitySeconds: 24 });
    t = await startTestBerth('sqlite', { env: berthEnv(pebble, httpPort), start: { dns: pointedDns } });
    appId = await createApp(t, { name: 'Renew', slug: 'renew', visibility: 'public' });
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await pebble?.stop();
    releasePort(httpPort);
  });

  it('renews before expiry, serves the new certificate, then waits until the next one is due', async () => {
    const added = await t.request<DomainView>('POST', wsPath(t, `/apps/${appId}/domains`), { body: { domain: host } });
    await t.request('POST', wsPath(t, `/apps/${appId}/domains/${added.body.id}/verify`));
    const first = await until(
      () => domainOf(t, appId, host),
      (d) => d?.tlsStatus === 'active',
      30_000,
    );
    const root = await pebble.issuingRoot();
    const port = t.berth.edgeTlsPort ?? 0;
    const served = await httpsRequest({ port, name: host, ca: root }).catch(() => null);
    const firstSerial = served?.certificate.serial;
    const renewed = await until(
      () => domainOf(t, appId, host),
      (d) => d?.tlsExpiresAt !== first?.tlsExpiresAt && d?.tlsStatus === 'active',
      40_000,
    );
    expect(new Date(renewed?.tlsExpiresAt ?? 0).getTime()).toBeGreaterThan(
      new Date(first?.tlsExpiresAt ?? 0).getTime(),
    );
    const now = await until(
      () => httpsRequest({ port, name: host, ca: root }),
      (reply) => reply.certificate.serial !== firstSerial,
      5_000,
    );
    expect(now.certificate.serial).not.toBe(firstSerial);
    // Not renewed again straight away: the next one is due a third of a lifetime before expiry.
    const issuedBy = stateOf(t.dataDir, host)?.issuedBy;
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(stateOf(t.dataDir, host)?.issuedBy).toBe(issuedBy);
  }, 90_000);
});
