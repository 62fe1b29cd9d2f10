import { afterEach, describe, expect, it, vi } from 'vitest';
import { startBackupSchedule } from './backup-schedule.js';
import type { BackupSchedule } from './backup-schedule.js';

describe('the backup schedule (BERTH_DB_BACKUP_CRON)', () => {
  let schedule: BackupSchedule | undefined;
  afterEach(async () => {
    await schedule?.stop();
    vi.unstubAllEnvs();
  });

  it('reads the expression in UTC whatever the host zone is, as app schedules are', async () => {
    vi.stubEnv('TZ', 'America/New_York');
    let now = new Date('2026-01-01T02:59:00Z');
    const rounds: Date[] = [];
    schedule = startBackupSchedule({
      cron: '0 3 * * *',
      now: () => now,
      run: async () => {
        rounds.push(now);
        return { taken: 1, failed: [] };
      },
      logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
      checkEveryMs: 5,
    });
    // 03:00 UTC is 22:00 in New York: read in the host's zone, the round would wait for 08:00 UTC.
    now = new Date('2026-01-01T03:00:30Z');
    await vi.waitFor(() => expect(rounds).toHaveLength(1), { timeout: 5_000, interval: 10 });
    expect(rounds[0]?.toISOString()).toBe('2026-01-01T03:00:30.000Z');
  });
});
