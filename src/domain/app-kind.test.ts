import { afterEach, describe, expect, it, vi } from 'vitest';
import { liveMessage, nextRunOf } from './app-kind.js';

describe('liveMessage', () => {
  const facts = { revisionName: 'x-00001', replicas: 1, schedule: null, nextRunAt: null };
  it('says traffic only of apps that take it', () => {
    expect(liveMessage({ ...facts, type: 'web' })).toBe('x-00001 is ready and receives 100% of traffic');
    expect(liveMessage({ ...facts, type: 'worker', replicas: 2 })).toBe('x-00001 is running (2 instances); a worker takes no HTTP traffic');
    expect(liveMessage({ ...facts, type: 'worker', replicas: 0 })).toBe(
      'x-00001 is deployed; the app is scaled to zero, so no instance runs until it is started (a worker takes no HTTP traffic)',
    );
  });
  it("says a cron app's schedule, its zone and its next run", () => {
    const cron = { ...facts, type: 'cron' as const, schedule: '*/5 * * * *' };
    expect(liveMessage({ ...cron, nextRunAt: new Date('2026-01-01T00:05:00Z') })).toBe('x-00001 runs on the schedule "*/5 * * * *" (UTC); next run at 2026-01-01T00:05:00.000Z');
    expect(liveMessage({ ...cron, replicas: 0 })).toBe('x-00001 is deployed; the app is stopped, so it does not run on the schedule "*/5 * * * *" (UTC) until it is started');
  });
});

describe('nextRunOf', () => {
  afterEach(() => vi.unstubAllEnvs());
  const cron = { type: 'cron' as const, schedule: '0 3 * * *', replicas: null };
  it('reads the schedule in UTC whatever the host zone is', () => {
    vi.stubEnv('TZ', 'America/New_York');
    expect(nextRunOf(cron, true, new Date('2026-01-01T00:00:00Z'))?.toISOString()).toBe('2026-01-01T03:00:00.000Z');
  });
  it('is null for other apps, a stopped cron app, or one nothing serves', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    expect(nextRunOf({ ...cron, type: 'worker' }, true, now)).toBeNull();
    expect(nextRunOf({ ...cron, replicas: 0 }, true, now)).toBeNull();
    expect(nextRunOf(cron, false, now)).toBeNull();
  });
});
