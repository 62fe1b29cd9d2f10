// cert_failed and cert_expiring from what the edge recorded on an app's domains.
import { describe, expect, it } from 'vitest';
import type { CustomDomain } from '../../domain/custom-domain.js';
import { certificateConditions } from './certificate-alerts.js';

const now = new Date('2030-01-01T00:00:00Z');
const day = 86_400_000;

function aDomain(domain: string, tls: Partial<CustomDomain>): CustomDomain {
  return {
    id: `dom_${domain}`,
    appId: 'app_1',
    domain,
    targetPort: null,
    verified: true,
    tlsStatus: 'pending',
    verificationToken: 't',
    createdAt: now,
    verifiedAt: now,
    tlsError: null,
    tlsExpiresAt: null,
    ...tls,
  };
}

const byType = (domains: CustomDomain[]) => Object.fromEntries(certificateConditions(domains, now).map((c) => [c.type, c]));

describe('certificate alerts', () => {
  it('fire for nothing while certificates are pending or comfortably valid', () => {
    const conditions = byType([
      aDomain('a.example.com', {}),
      aDomain('b.example.com', { tlsStatus: 'active', tlsExpiresAt: new Date(now.getTime() + 60 * day) }),
    ]);
    expect(conditions.cert_failed?.firing).toBe(false);
    expect(conditions.cert_expiring?.firing).toBe(false);
  });

  it('cert_failed names the domain and the reason', () => {
    const { cert_failed } = byType([aDomain('a.example.com', { tlsStatus: 'failed', tlsError: 'connection refused' })]);
    expect(cert_failed).toMatchObject({ firing: true, severity: 'warning' });
    expect(cert_failed?.message).toBe('TLS certificate for a.example.com could not be issued: connection refused');
  });

  it('cert_failed names every failing domain, and its subject changes with them', () => {
    const both = byType([
      aDomain('b.example.com', { tlsStatus: 'failed', tlsError: 'timeout' }),
      aDomain('a.example.com', { tlsStatus: 'failed', tlsError: 'connection refused' }),
      aDomain('c.example.com', { tlsStatus: 'active', tlsExpiresAt: new Date(now.getTime() + 60 * day) }),
    ]);
    expect(both.cert_failed?.message).toBe('TLS certificate for b.example.com could not be issued: timeout (also failing: a.example.com)');
    expect(both.cert_failed?.subject).toBe('a.example.com b.example.com');
    const one = byType([aDomain('b.example.com', { tlsStatus: 'failed', tlsError: 'timeout' })]);
    expect(one.cert_failed?.subject).toBe('b.example.com');
  });

  it('cert_expiring fires within two weeks of expiry, critical within three days', () => {
    const soon = byType([aDomain('a.example.com', { tlsStatus: 'active', tlsExpiresAt: new Date(now.getTime() + 10 * day), tlsError: 'rate limited' })]);
    expect(soon.cert_expiring).toMatchObject({ firing: true, severity: 'warning' });
    expect(soon.cert_expiring?.message).toContain('a.example.com');
    expect(soon.cert_expiring?.message).toContain('rate limited');
    const sooner = byType([aDomain('a.example.com', { tlsStatus: 'active', tlsExpiresAt: new Date(now.getTime() + 2 * day) })]);
    expect(sooner.cert_expiring?.severity).toBe('critical');
  });
});
