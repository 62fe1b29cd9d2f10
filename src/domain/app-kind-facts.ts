// What Berth says of an app by its type, in words the CLI and the console share: a URL only for
// apps that take HTTP (web, api); for a worker its instances, never requests; for a cron app its
// schedule (UTC) and runs. It imports nothing, so the console's bundle may take it whole.

export type AppTypeName = string;

/** The app types that serve HTTP through the edge; workers and cron apps never do. */
export const httpTypes = ['web', 'api'] as const;

/** Web and api apps serve HTTP through the edge; workers and cron apps never do. */
export const takesHttp = (type: AppTypeName): boolean => (httpTypes as readonly string[]).includes(type);

/** The zone app schedules are read in, whatever the host's: what `0 3 * * *` means must not move with the machine. */
export const scheduleTimeZone = 'UTC';

/** The app's URL, or null for a worker or cron app: nothing answers there. */
export function shownUrl(app: { type: AppTypeName; url: string | null }): string | null {
  return takesHttp(app.type) ? app.url : null;
}

/** The line `berth create` prints. */
export function createdLine(app: { slug: string; id: string; type: AppTypeName; url: string | null; schedule?: string | null }): string {
  if (app.type === 'worker') return `Created ${app.slug} (${app.id}): a worker, it runs without a URL once deployed`;
  if (app.type === 'cron') return `Created ${app.slug} (${app.id}): a cron app, it runs on ${scheduleFact(app.schedule ?? null)} once deployed`;
  return `Created ${app.slug} (${app.id}): ${app.url ?? 'no URL'}`;
}

export function scheduleFact(schedule: string | null): string {
  return schedule ? `"${schedule}" (${scheduleTimeZone})` : 'none set (set one to deploy)';
}

export interface RunFacts {
  id: string;
  status: string;
  exitCode: number | null;
  startedAt: string;
  finishedAt: string | null;
}

export const tookWords = (ms: number) => (ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms < 120_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`);

/** `failed, exit code 3 after 0.4 s, started 2026-01-01T00:00:00.000Z (cronrun_…)`. */
export function lastRunFact(run: RunFacts | undefined): string {
  if (!run) return 'none yet';
  if (run.status === 'running') return `running since ${run.startedAt} (${run.id})`;
  if (run.status === 'skipped') return `skipped at ${run.startedAt}: the run before was still going (${run.id})`;
  const took = run.finishedAt ? ` after ${tookWords(Date.parse(run.finishedAt) - Date.parse(run.startedAt))}` : '';
  const exit = run.exitCode === null ? 'could not start or was killed' : `exit code ${run.exitCode}`;
  return `${run.status}, ${exit}${took}, started ${run.startedAt} (${run.id})`;
}

/** When the schedule fires next, or why it does not. */
export function nextRunFact(app: { nextRunAt?: string | null; schedule: string | null; replicas: number }, deployed: boolean): string {
  if (app.nextRunAt) return app.nextRunAt;
  if (!app.schedule) return 'none: the app has no schedule';
  if (app.replicas === 0) return 'none: the app is stopped (scale it to 1 to run it again)';
  return deployed ? 'none: the schedule never fires again' : 'none: no revision is deployed yet';
}

/**
 * Why health is unknown, as the health answer (computed when asked) has it: nothing serves, the
 * app is scaled to zero, or Berth has not sampled it yet (just deployed).
 */
function unknownWhy(running: { serving: boolean; replicas: number } | undefined): string {
  if (running && !running.serving) return 'unknown (no revision serves)';
  if (running?.replicas === 0) return 'unknown (scaled to zero)';
  return 'unknown (no figures yet: Berth samples its apps every few seconds)';
}

/**
 * Health as the app's kind is judged: a cron app by its last run, a worker by its instances
 * (it takes no requests), web and api apps by instances and their requests' figures.
 */
export function healthFact(
  type: AppTypeName,
  health: { status: string; errorRate: number; avgLatencyMs: number; requestCount?: number },
  running?: { serving: boolean; replicas: number },
): string {
  if (type === 'cron') return health.status === 'unknown' ? 'unknown (no finished run yet)' : `${health.status} (by its last run)`;
  if (health.status === 'unknown') return unknownWhy(running);
  if (type === 'worker') return `${health.status} (by its instances; a worker takes no HTTP requests)`;
  if (health.requestCount === 0) return `${health.status}, no recent requests`;
  const of = health.requestCount === undefined ? '' : ` of ${health.requestCount} recent request${health.requestCount === 1 ? '' : 's'}`;
  return `${health.status}, error rate ${health.errorRate.toFixed(1)} %${of}, latency ${health.avgLatencyMs.toFixed(0)} ms`;
}
