// Certificate alerts, from what the edge recorded on an app's verified domains: `cert_failed`
// while a certificate cannot be issued (its subject is the set of failing domains, so a domain
// that starts or stops failing gets an alert that names what fails now), `cert_expiring` once a served certificate is within two
// weeks of expiry (renewal starts 30 days before, so by then it has been failing for two weeks).
import type { CustomDomain } from '../../domain/custom-domain.js';
import type { Condition } from './alert-rules.js';

const dayMs = 86_400_000;
export const expiringWithinMs = 14 * dayMs;
const criticalWithinMs = 3 * dayMs;

function alsoFailing(others: readonly CustomDomain[]): string {
  return others.length > 0 ? ` (also failing: ${others.map((d) => d.domain).join(', ')})` : '';
}

function andMore(count: number): string {
  return count > 1 ? ` (and ${count - 1} more domain${count > 2 ? 's' : ''})` : '';
}

export function certificateConditions(domains: readonly CustomDomain[], now: Date): Condition[] {
  const failed = domains.filter((d) => d.tlsStatus === 'failed');
  const expiring = domains
    .filter((d) => d.tlsStatus === 'active' && d.tlsExpiresAt !== null && d.tlsExpiresAt.getTime() - now.getTime() < expiringWithinMs)
    .sort((a, b) => (a.tlsExpiresAt?.getTime() ?? 0) - (b.tlsExpiresAt?.getTime() ?? 0));
  const firstFailed = failed[0];
  const soonest = expiring[0];
  const leftMs = soonest?.tlsExpiresAt ? soonest.tlsExpiresAt.getTime() - now.getTime() : Infinity;
  return [
    {
      type: 'cert_failed',
      firing: failed.length > 0,
      severity: 'warning',
      message: firstFailed
        ? `TLS certificate for ${firstFailed.domain} could not be issued: ${firstFailed.tlsError ?? 'unknown reason'}${alsoFailing(failed.slice(1))}`
        : '',
      subject: failed.map((d) => d.domain).sort().join(' '),
    },
    {
      type: 'cert_expiring',
      firing: expiring.length > 0,
      severity: leftMs < criticalWithinMs ? 'critical' : 'warning',
      message: soonest?.tlsExpiresAt
        ? `TLS certificate for ${soonest.domain} expires ${soonest.tlsExpiresAt.toISOString()} (in ${Math.max(0, Math.floor(leftMs / dayMs))} days); renewal: ${soonest.tlsError ?? 'not done yet'}${andMore(expiring.length)}`
        : '',
    },
  ];
}
