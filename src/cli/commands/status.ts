// `berth status <app>`: the app, its last deployment, and what runs: a web app's or worker's
// instances and health, a cron app's schedule, last run and next run.
import type { Command } from 'commander';
import { unwrap } from '../api-client.js';
import type { CommandContext, JsonOption } from '../context.js';
import { printFacts, printJson } from '../output.js';
import { healthFact, lastRunFact, nextRunFact, scheduleFact, shownUrl } from '../../domain/app-kind-facts.js';

type Facts = [string, string][];

/** Autoscaling is on only when the bounds leave room (maxReplicas > minReplicas). */
function replicasFact(app: { replicas: number; minReplicas: number; maxReplicas: number }): string {
  return app.maxReplicas > app.minReplicas ? `${app.replicas} (autoscaled ${app.minReplicas}–${app.maxReplicas})` : `${app.replicas} (autoscaling off)`;
}

/**
 * `Running, 2/3 instances ready, 1 restart (shop-00004)`, `Stopping, 0/0 instances ready, 1 still
 * stopping, 0 restarts (shop-00004)`: out of the replicas the app runs per
 * revision, since an instance waiting to be restarted after a crash is not counted in `total`.
 */
export function runtimeFact(
  runtime: { phase: string; ready: number; total: number; restarting?: number; stopping?: number; restarts: number; revisionName?: string | null },
  replicas: number,
): string {
  const restarts = `${runtime.restarts} restart${runtime.restarts === 1 ? '' : 's'}`;
  const waiting = runtime.restarting ? ` (${runtime.restarting} waiting to restart after a crash)` : '';
  // Told to stop, not gone: an app slow to exit on SIGTERM runs on until the drain timeout.
  const stopping = runtime.stopping ? `, ${runtime.stopping} still stopping` : '';
  return `${runtime.phase}, ${runtime.ready}/${Math.max(runtime.total, replicas)} instances ready${waiting}${stopping}, ${restarts} (${runtime.revisionName ?? '-'})`;
}

/** Instances beside the replicas run too (memory, processes): say so, and what they are for. */
export function standbyFact(warm: number): string {
  return `${warm} more instance${warm === 1 ? '' : 's'}: the last served revision kept warm (traffic moved back to it is served at once), tagged revisions for their URLs (\`berth traffic\` shows which)`;
}

/** Why instances wait to be restarted: the Ready condition's words, while some do. */
export function crashWhy(runtime: { restarting?: number; conditions: { type: string; reason: string | null; message: string | null }[] } | null): string | null {
  if (!runtime?.restarting) return null;
  return runtime.conditions.find((c) => c.type === 'Ready' && c.reason === 'InstancesRestarting')?.message ?? null;
}

export function registerStatus(program: Command, context: CommandContext): void {
  program
    .command('status')
    .description("an app's status: last deployment, runtime (instances) and health; a cron app's schedule and runs")
    .argument('<app>', "the app's id or slug")
    .option('--json', 'print as JSON')
    .action(async (appRef: string, options: JsonOption) => {
      const { api, workspaceId: wsId } = await context.connect();
      const app = await unwrap(api.GET('/api/v1/workspaces/{wsId}/apps/{appId}', { params: { path: { wsId, appId: appRef } } }));
      const path = { wsId, appId: app.id };
      const cron = app.type === 'cron';
      const [health, serving, runs] = await Promise.all([
        unwrap(api.GET('/api/v1/workspaces/{wsId}/monitoring/apps/{appId}/health', { params: { path } })),
        unwrap(api.GET('/api/v1/workspaces/{wsId}/deploy', { params: { path: { wsId }, query: { appId: app.id, status: 'succeeded', limit: 1 } } })),
        cron ? unwrap(api.GET('/api/v1/workspaces/{wsId}/apps/{appId}/cron-runs', { params: { path, query: { limit: 1 } } })) : Promise.resolve(null),
      ]);
      const servingId = serving.data[0]?.id;
      // A cron app has no instances between runs: its runs say what happened.
      const runtime = servingId && !cron ? await unwrap(api.GET('/api/v1/workspaces/{wsId}/deploy/{deployId}/runtime-status', { params: { path: { wsId, deployId: servingId } } })) : null;
      const lastRun = runs?.[0];
      if (options.json) return printJson({ app, latestDeployment: app.latestDeployment, runtime, health, ...(cron ? { lastRun: lastRun ?? null } : {}) });
      const last = app.latestDeployment;
      const ended = last && (last.status === 'failed' || last.status === 'cancelled') ? await unwrap(api.GET('/api/v1/workspaces/{wsId}/deploy/{deployId}', { params: { path: { wsId, deployId: last.id } } })) : null;
      const url = shownUrl(app);
      const crash = crashWhy(runtime);
      const running: Facts = cron
        ? [
            ['Schedule', scheduleFact(app.schedule)],
            ['Last run', lastRunFact(lastRun)],
            ['Next run', nextRunFact(app, servingId !== undefined)],
          ]
        : [
            ['Runtime', runtime ? runtimeFact(runtime, app.replicas) : 'not running'],
            ...(crash !== null ? ([['Crash', crash]] as Facts) : []),
            ['Replicas', replicasFact(app)],
            ...(health.warmInstances > 0 ? ([['Standby', standbyFact(health.warmInstances)]] as Facts) : []),
          ];
      printFacts([
        ['App', `${app.name} (${app.slug}, ${app.id})`],
        ['Status', app.status],
        url === null ? ['Type', `${app.type} (takes no HTTP requests, so it has no URL)`] : ['URL', url],
        ['Last deploy', last ? `${last.status} ${last.id} at ${last.createdAt}` : 'none'],
        ...(ended?.error ? ([['Why', ended.error]] as Facts) : []),
        ...running,
        ['Health', healthFact(app.type, health, { serving: servingId !== undefined, replicas: app.replicas })],
      ]);
      return undefined;
    });
}
