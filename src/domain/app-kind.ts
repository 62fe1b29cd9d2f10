// What an app's type means for what Berth says about it: web and api apps take HTTP traffic;
// a worker runs with no HTTP server; a cron app runs once per tick of its schedule, in UTC.
import type { App, AppType } from './app.js';
import { scheduleTimeZone } from './app-kind-facts.js';
import { nextRunAfter } from './cron-run.js';

/**
 * When a cron app runs next: its schedule's next tick after `now`, as the scheduler sees it; null
 * for other apps, a stopped one (scaled to zero) or one with no serving revision.
 */
export function nextRunOf(app: Pick<App, 'type' | 'schedule' | 'replicas'>, serving: boolean, now: Date): Date | null {
  if (app.type !== 'cron' || !app.schedule || app.replicas === 0 || !serving) return null;
  return nextRunAfter(app.schedule, now);
}

export interface LiveFacts {
  type: AppType;
  revisionName: string;
  /** Replicas the app runs per serving revision (0: stopped). */
  replicas: number;
  schedule: string | null;
  /** When the schedule next fires (cron apps), or null. */
  nextRunAt: Date | null;
}

const instances = (n: number) => `${n} instance${n === 1 ? '' : 's'}`;

/** What a deploy that went live says, by what the app is. */
export function liveMessage(facts: LiveFacts): string {
  const name = facts.revisionName;
  switch (facts.type) {
    case 'web':
    case 'api':
      return `${name} is ready and receives 100% of traffic`;
    case 'worker':
      return facts.replicas === 0
        ? `${name} is deployed; the app is scaled to zero, so no instance runs until it is started (a worker takes no HTTP traffic)`
        : `${name} is running (${instances(facts.replicas)}); a worker takes no HTTP traffic`;
    case 'cron': {
      const schedule = `the schedule "${facts.schedule ?? ''}" (${scheduleTimeZone})`;
      if (facts.replicas === 0) return `${name} is deployed; the app is stopped, so it does not run on ${schedule} until it is started`;
      return facts.nextRunAt
        ? `${name} runs on ${schedule}; next run at ${facts.nextRunAt.toISOString()}`
        : `${name} is deployed, but ${schedule} never fires again`;
    }
  }
}
