// When a hostname's certificate is obtained, renewed or retried, as pure functions of what is
// on disk and the clock: renewal when a third of the lifetime is left (at most 30 days before
// expiry, as Let's Encrypt advises for its 90-day certificates), failures backed off doubling
// from a base up to a day, and the status the domain shows for it.
import type { DomainTls } from '../../domain/custom-domain.js';

export interface CertificateDates {
  notBefore: Date;
  notAfter: Date;
}

export interface Attempts {
  /** Failed attempts since the last success. */
  failures: number;
  /** Not before this (backoff, or a CA's Retry-After). */
  nextAttemptAt: Date | null;
  lastError: string | null;
}

export const noAttempts: Attempts = { failures: 0, nextAttemptAt: null, lastError: null };

const dayMs = 86_400_000;
export const maxRenewBeforeMs = 30 * dayMs;
export const maxBackoffMs = dayMs;

export function renewAt(cert: CertificateDates): Date {
  const lifetime = cert.notAfter.getTime() - cert.notBefore.getTime();
  return new Date(cert.notAfter.getTime() - Math.min(maxRenewBeforeMs, Math.max(0, lifetime) / 3));
}

export type Step = { kind: 'obtain' } | { kind: 'wait'; until: Date };

/** What to do about one hostname now. */
export function nextStep(cert: CertificateDates | null, attempts: Attempts, now: Date): Step {
  if (attempts.nextAttemptAt !== null && now < attempts.nextAttemptAt) return { kind: 'wait', until: attempts.nextAttemptAt };
  if (cert !== null && cert.notAfter > now) {
    const due = renewAt(cert);
    if (now < due) return { kind: 'wait', until: due };
  }
  return { kind: 'obtain' };
}

/** Delay before the next attempt after `failures` failures in a row (the CA's Retry-After wins if later). */
export function backoffMs(failures: number, baseMs: number, retryAfterMs: number | null = null): number {
  const doubled = Math.min(maxBackoffMs, baseMs * 2 ** Math.max(0, Math.min(failures - 1, 30)));
  return Math.max(doubled, retryAfterMs ?? 0);
}

/** The domain's status: active while a valid certificate is served (with the renewal error, if any). */
export function statusOf(cert: CertificateDates | null, attempts: Attempts, now: Date): DomainTls {
  if (cert !== null && cert.notAfter > now) return { status: 'active', error: attempts.lastError, expiresAt: cert.notAfter };
  if (attempts.failures > 0) return { status: 'failed', error: attempts.lastError, expiresAt: cert?.notAfter ?? null };
  return { status: 'pending', error: null, expiresAt: null };
}
