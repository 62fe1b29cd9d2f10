// One run of a cron app: when it was due, how it ended.
import { Cron } from 'croner';
import { field, say } from './wording.js';
import type { Phrase } from './wording.js';

export const cronRunStatuses = ['running', 'succeeded', 'failed', 'skipped'] as const;
export type CronRunStatus = (typeof cronRunStatuses)[number];

export interface CronRun {
  id: string;
  appId: string;
  revisionId: string;
  scheduledFor: Date;
  startedAt: Date;
  finishedAt: Date | null;
  exitCode: number | null;
  status: CronRunStatus;
}

/** Why a cron expression (5 fields, or 6 with seconds) is unusable, or null. */
export function scheduleProblem(schedule: string): Phrase | null {
  try {
    new Cron(schedule, { paused: true });
    return null;
  } catch {
    return say`${field('schedule')} must be a cron expression of 5 fields (or 6 with seconds), e.g. "*/5 * * * *"`;
  }
}

/**
 * The first time the schedule fires strictly after `after`, or null when it never does. Read in
 * UTC, whatever the host's zone: cron apps and scheduled database backups alike, so what
 * `0 3 * * *` means does not move with the machine.
 */
export function nextRunAfter(schedule: string, after: Date): Date | null {
  return new Cron(schedule, { paused: true, timezone: 'Etc/UTC' }).nextRun(after);
}
