// Runs the scheduled backup round at each tick of BERTH_DB_BACKUP_CRON, read in UTC (checked every
// 30 s, so a tick is never missed by more than that; ticks while Berth was down are not made up).
import type { Logger } from '../../core/ports/logger.js';
import { nextRunAfter } from '../../domain/cron-run.js';

export interface BackupSchedule {
  stop(): Promise<void>;
}

export function startBackupSchedule(options: { cron: string; now: () => Date; run: () => Promise<{ taken: number; failed: string[] }>; logger: Logger; checkEveryMs?: number }): BackupSchedule {
  let since = options.now();
  let running: Promise<void> | null = null;
  const timer = setInterval(() => {
    const now = options.now();
    const due = nextRunAfter(options.cron, since);
    if (running || !due || due > now) return;
    since = now;
    running = options
      .run()
      .then(({ taken, failed }) => {
        if (failed.length > 0) options.logger.warn({ taken, failed }, 'some database backups failed');
        else options.logger.info({ taken }, 'databases backed up');
      })
      .finally(() => {
        running = null;
      });
  }, options.checkEveryMs ?? 30_000);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
