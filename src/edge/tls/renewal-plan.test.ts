// Renewal timing, backoff and the status a domain shows, as tables.
import { describe, expect, it } from 'vitest';
import { backoffMs, nextStep, noAttempts, renewAt, statusOf } from './renewal-plan.js';

const day = 86_400_000;
const at = (ms: number) => new Date(Date.parse('2030-01-01T00:00:00Z') + ms);
const cert = (lifetimeMs: number) => ({ notBefore: at(0), notAfter: at(lifetimeMs) });

describe('renewAt', () => {
  it.each([
    { what: "Let's Encrypt's 90 days: 30 days before expiry", lifetime: 90 * day, renew: 60 * day },
    { what: 'a year: still 30 days before expiry', lifetime: 365 * day, renew: 335 * day },
    { what: '6 days: a third of the lifetime before', lifetime: 6 * day, renew: 4 * day },
    { what: '30 seconds (test CA): 10 seconds before', lifetime: 30_000, renew: 20_000 },
  ])('$what', ({ lifetime, renew }) => {
    expect(renewAt(cert(lifetime))).toEqual(at(renew));
  });
});

describe('nextStep', () => {
  it.each([
    { what: 'no certificate, never tried: obtain', c: null, a: noAttempts, now: 0, step: { kind: 'obtain' } },
    { what: 'fresh certificate: wait for its renewal time', c: cert(90 * day), a: noAttempts, now: day, step: { kind: 'wait', until: at(60 * day) } },
    { what: 'renewal due: obtain', c: cert(90 * day), a: noAttempts, now: 61 * day, step: { kind: 'obtain' } },
    { what: 'expired: obtain', c: cert(90 * day), a: noAttempts, now: 91 * day, step: { kind: 'obtain' } },
    {
      what: 'failed a moment ago: wait for the backoff, even if due',
      c: cert(90 * day),
      a: { failures: 2, nextAttemptAt: at(62 * day), lastError: 'x' },
      now: 61 * day,
      step: { kind: 'wait', until: at(62 * day) },
    },
    { what: 'backoff over: obtain', c: null, a: { failures: 1, nextAttemptAt: at(10), lastError: 'x' }, now: 20, step: { kind: 'obtain' } },
  ])('$what', ({ c, a, now, step }) => {
    expect(nextStep(c, a, at(now))).toEqual(step);
  });
});

describe('backoffMs', () => {
  it('doubles from the base and stops at a day; a later Retry-After wins', () => {
    expect([1, 2, 3, 4].map((n) => backoffMs(n, 600_000))).toEqual([600_000, 1_200_000, 2_400_000, 4_800_000]);
    expect(backoffMs(20, 600_000)).toBe(day);
    expect(backoffMs(1, 600_000, 3 * 3_600_000)).toBe(3 * 3_600_000);
    expect(backoffMs(3, 600_000, 1_000)).toBe(2_400_000);
  });
});

describe('statusOf', () => {
  it.each([
    { what: 'nothing yet: pending', c: null, a: noAttempts, tls: { status: 'pending', error: null, expiresAt: null } },
    { what: 'valid certificate: active', c: cert(90 * day), a: noAttempts, tls: { status: 'active', error: null, expiresAt: at(90 * day) } },
    {
      what: 'valid certificate, renewal failing: active, with the reason',
      c: cert(90 * day),
      a: { failures: 3, nextAttemptAt: null, lastError: 'rate limited' },
      tls: { status: 'active', error: 'rate limited', expiresAt: at(90 * day) },
    },
    {
      what: 'never obtained, failed: failed, with the reason',
      c: null,
      a: { failures: 1, nextAttemptAt: null, lastError: 'connection refused' },
      tls: { status: 'failed', error: 'connection refused', expiresAt: null },
    },
  ])('$what', ({ c, a, tls }) => {
    expect(statusOf(c, a, at(day))).toEqual(tls);
  });
});
