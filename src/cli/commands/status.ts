// `berth status <app>`: the app, its last deployment, the serving revision's runtime and health.
import type { Command } from 'commander';
import { unwrap } from '../api-client.js';
import type { CommandContext, JsonOption } from '../context.js';
import { printFacts, printJson } from '../output.js';

/** Autoscaling is on only when the bounds leave room (maxReplicas > minReplicas). */
function replicasFact(app: { replicas: number; minReplicas: number; maxReplicas: number }): string {
  return app.maxReplicas > app.minReplicas ? `${app.replicas} (autoscaled ${app.minReplicas}–${app.maxReplicas})` : `${app.replicas} (autoscaling off)`;
}

/** Unknown health has no figures to show: zeros would read as measured. */
/** `healthy, error rate 0.0 % of 120 recent requests, latency 6 ms`: the figures with what they are of. */
export function healthFact(health: { status: string; errorRate: number; avgLatencyMs: number; requestCount?: number }): string {
  if (health.status === 'unknown') return 'unknown (no recent check or no traffic figures yet)';
  if (health.requestCount === 0) return `${health.status}, no recent requests`;
  const of = health.requestCount === undefined ? '' : ` of ${health.requestCount} recent request${health.requestCount === 1 ? '' : 's'}`;
  return `${health.status}, error rate ${health.errorRate.toFixed(1)} %${of}, latency ${health.avgLatencyMs.toFixed(0)} ms`;
}

/**
 * `Running, 2/3 instances ready, 1 restart (shop-00004)`: out of the replicas the app runs per
 * revision, since an instance waiting to be restarted after a crash is not counted in `total`.
 */
export function runtimeFact(runtime: { phase: string; ready: number; total: number; restarts: number; revisionName?: string | null }, replicas: number): string {
  const restarts = `${runtime.restarts} restart${runtime.restarts === 1 ? '' : 's'}`;
  return `${runtime.phase}, ${runtime.ready}/${Math.max(runtime.total, replicas)} instances ready, ${restarts} (${runtime.revisionName ?? '-'})`;
}

export function registerStatus(program: Command, context: CommandContext): void {
  program
    .command('status')
    .description("an app's status: last deployment, runtime (instances) and health")
    .argument('<app>', "the app's id or slug")
    .option('--json', 'print as JSON')
    .action(async (appRef: string, options: JsonOption) => {
      const { api, workspaceId: wsId } = await context.connect();
      const app = await unwrap(api.GET('/api/v1/workspaces/{wsId}/apps/{appId}', { params: { path: { wsId, appId: appRef } } }));
      const path = { wsId, appId: app.id };
      const [health, serving] = await Promise.all([
        unwrap(api.GET('/api/v1/workspaces/{wsId}/monitoring/apps/{appId}/health', { params: { path } })),
        unwrap(api.GET('/api/v1/workspaces/{wsId}/deploy', { params: { path: { wsId }, query: { appId: app.id, status: 'succeeded', limit: 1 } } })),
      ]);
      const servingId = serving.data[0]?.id;
      const runtime = servingId ? await unwrap(api.GET('/api/v1/workspaces/{wsId}/deploy/{deployId}/runtime-status', { params: { path: { wsId, deployId: servingId } } })) : null;
      if (options.json) return printJson({ app, latestDeployment: app.latestDeployment, runtime, health });
      const last = app.latestDeployment;
      const ended = last && (last.status === 'failed' || last.status === 'cancelled') ? await unwrap(api.GET('/api/v1/workspaces/{wsId}/deploy/{deployId}', { params: { path: { wsId, deployId: last.id } } })) : null;
      printFacts([
        ['App', `${app.name} (${app.slug}, ${app.id})`],
        ['Status', app.status],
        ['URL', app.url],
        ['Last deploy', last ? `${last.status} ${last.id} at ${last.createdAt}` : 'none'],
        ...(ended?.error ? ([['Why', ended.error]] as [string, string][]) : []),
        ['Runtime', runtime ? runtimeFact(runtime, app.replicas) : 'not running'],
        ['Replicas', replicasFact(app)],
        ['Health', healthFact(health)],
      ]);
      return undefined;
    });
}
