// What the console says of an app by its type, in the words it shares with the CLI
// (src/domain/app-kind-facts.ts): a URL only for web and api apps; a worker's instances, never
// requests; a cron app's schedule and runs. The words only the console says are here.
import { scheduleFact } from '../../../src/domain/app-kind-facts';

export {
  healthFact,
  lastRunFact,
  nextRunFact,
  scheduleFact,
  shownUrl,
  takesHttp,
  tookWords,
} from '../../../src/domain/app-kind-facts';

/** `worker`, `cron: "0 3 * * *" (UTC)`, `web`. */
export function kindLine(app: { type: string; schedule?: string | null }): string {
  return app.type === 'cron' ? `cron: ${scheduleFact(app.schedule ?? null)}` : app.type;
}

/** Why a worker or cron app has no URL (the edge answers its hostnames with a "Not a web app" page). */
export const noUrlWords = 'takes no HTTP requests, so it has no URL';

/** What a hostname of a worker or cron app leads to: a domain, a share link or a tag gets nothing more. */
export function noHttpNote(app: { name: string; type: string }): string {
  const what = app.type === 'cron' ? 'a cron app' : 'a worker';
  return `${app.name} is ${what}: it takes no HTTP requests, so any address of it (its own, a custom domain, a share link or a tagged URL) only shows a "Not a web app" page.`;
}

/** Why a worker's or cron app's Metrics tab charts no requests, error rate or latency, and what it charts instead. */
export function noRequestChartsNote(app: { name: string; type: string }): string {
  const none = 'it takes no HTTP requests, so it has no request, error-rate or latency charts';
  return app.type === 'cron'
    ? `${app.name} is a cron app: ${none}. Its instances are its runs: CPU, memory and instances show only while a run goes, and its runs are counted below.`
    : `${app.name} is a worker: ${none}. Its CPU, memory and instances are charted.`;
}
