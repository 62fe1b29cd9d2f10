// The app's pipeline as the store and the reconciler know it, stage by stage. Each stage reports
// only what ran: a deployment that failed fetching its source never built, a rollback or env sync
// reused an artifact instead of building, and stages without data say `no_data` instead of
// inventing values. Every decision is made here; a dialect only words it.
import type { App } from '../../domain/app.js';
import { stageIndex } from '../../domain/deployment.js';
import type { Deployment } from '../../domain/deployment.js';
import { isServing } from '../../domain/revision.js';
import type { Deps } from '../deps.js';
import type { AppRuntimeSummary } from '../ports/orchestrator.js';
import { findApp } from './find-app.js';
import type { AppRef } from './find-app.js';

export type SourceStage =
  | { status: 'ok' | 'not_configured' | 'failed'; message: string | null };

export type BuildStage =
  | { status: 'no_data'; message: string }
  | { status: 'queued' | 'running' | 'not_run' | 'skipped' | 'cancelled' | 'failed' | 'succeeded'; message: string | null; deployment: Deployment };

export type DeployStage =
  | { status: 'no_data'; message: string }
  | { status: Deployment['status']; deployedAt: Date | null; revisionName: string | null };

export type RuntimeStage =
  | { status: 'stopped' | 'stopping' | 'no_data'; message: string; summary: AppRuntimeSummary }
  | { status: 'degraded'; message: string; summary: AppRuntimeSummary }
  | { status: 'healthy' | 'degraded' | 'starting'; summary: AppRuntimeSummary };

export interface PipelineState {
  app: App;
  latest: Deployment | null;
  source: SourceStage;
  build: BuildStage;
  deploy: DeployStage;
  harbor: { configured: boolean; project: string | null };
  runtime: RuntimeStage;
}

function sourceStage(app: App, latest: Deployment | null): SourceStage {
  const configured = app.sourceType === 'GIT' ? app.gitRepoUrl !== null : app.sourceType === 'IMAGE' ? app.imageRef !== null : true;
  if (!configured) return { status: 'not_configured', message: `no ${app.sourceType === 'GIT' ? 'gitRepoUrl' : 'imageRef'} is set` };
  if (latest?.status === 'failed' && latest.stage === 'fetching') return { status: 'failed', message: latest.error };
  return { status: 'ok', message: null };
}

/** What the latest deployment's build did (null `stage`: stored before stages were recorded). */
export function buildStage(d: Deployment | null): BuildStage {
  if (!d) return { status: 'no_data', message: 'No build has run yet' };
  if (d.reusedRevision) return { status: 'skipped', message: `no build: reused the artifact of ${d.reusedRevision}`, deployment: d };
  const stage = d.stage ?? (d.status === 'queued' ? 'queued' : d.status === 'building' ? 'building' : d.imageRef ? 'releasing' : 'building');
  const built = d.builtAt !== null || stageIndex(stage) >= stageIndex('releasing');
  if (built) return { status: 'succeeded', message: null, deployment: d };
  switch (d.status) {
    case 'queued':
      return { status: 'queued', message: null, deployment: d };
    case 'building':
    case 'deploying':
      return { status: 'running', message: stage === 'fetching' ? 'fetching the source' : null, deployment: d };
    case 'cancelled':
      return { status: 'cancelled', message: d.error, deployment: d };
    case 'failed':
    case 'succeeded':
      return stage === 'queued' || stage === 'fetching'
        ? { status: 'not_run', message: `the deployment failed before any build ran: ${d.error ?? 'unknown reason'}`, deployment: d }
        : { status: 'failed', message: d.error, deployment: d };
  }
}

/**
 * A serving revision in crash-loop backoff, or with an instance that crashed and waits for its
 * restart, and why: its instances come and go, so counts taken between two crashes look healthy.
 */
export interface Crashing {
  revisionName: string;
  looping: boolean;
  restarting: number;
  reason: string | null;
}

function crashWords(c: Crashing): string {
  const what = c.looping ? 'is crash-looping' : `has ${c.restarting === 1 ? 'an instance' : `${c.restarting} instances`} waiting to be restarted after a crash`;
  return `${c.revisionName} ${what}${c.reason ? `: ${c.reason}` : ''}`;
}

function runtimeStage(app: App, summary: AppRuntimeSummary, crashing: Crashing | null): RuntimeStage {
  if (crashing) return { status: 'degraded', message: crashWords(crashing), summary };
  if (summary.totalReplicas === 0) {
    // Told to stop is not stopped: an app that ignores SIGTERM runs on until the drain timeout.
    if (summary.stoppingInstances > 0) {
      const n = summary.stoppingInstances;
      return { status: 'stopping', message: `${n} instance${n === 1 ? '' : 's'} told to stop ${n === 1 ? 'is' : 'are'} still running (draining, or until the drain timeout kills ${n === 1 ? 'it' : 'them'})`, summary };
    }
    const stopped = app.status === 'stopped' || app.replicas === 0;
    if (!stopped && app.type === 'cron') return { status: 'no_data', message: 'A cron app runs an instance only while one of its runs goes (see its cron-runs)', summary };
    return { status: stopped ? 'stopped' : 'no_data', message: stopped ? 'The app is scaled to zero' : 'No replica is running', summary };
  }
  const status = summary.readyReplicas === summary.totalReplicas && summary.readyReplicas >= summary.desiredReplicas ? 'healthy' : summary.readyReplicas > 0 ? 'degraded' : 'starting';
  return { status, summary };
}

export async function pipelineState(deps: Pick<Deps, 'store' | 'settings' | 'orchestrator'>, input: AppRef): Promise<PipelineState> {
  const app = await findApp(deps, input, 'apps:read');
  const [latest, lastSucceeded, summary, splits] = await Promise.all([
    deps.store.deployments.latest(app.id),
    deps.store.deployments.latestSucceeded(app.id),
    deps.orchestrator.appSummary(app.id),
    deps.store.traffic.get(app.id),
  ]);
  const crashing =
    splits
      .filter(isServing)
      .map((split) => ({ split, status: deps.orchestrator.revisionStatus(split.revisionId) }))
      .map(({ split, status }) => ({
        revisionName: split.revisionName,
        looping: status.phase === 'CrashLoopBackOff',
        restarting: status.restarting,
        reason: status.lastFailure,
      }))
      .sort((a, b) => Number(b.looping) - Number(a.looping))
      .find((c) => c.looping || c.restarting > 0) ?? null;
  return {
    app,
    latest,
    source: sourceStage(app, latest),
    build: buildStage(latest),
    deploy: latest
      ? { status: latest.status, deployedAt: lastSucceeded?.finishedAt ?? null, revisionName: lastSucceeded?.revisionName ?? null }
      : { status: 'no_data', message: 'No deployment yet' },
    harbor: { configured: deps.settings.harborProject !== null, project: deps.settings.harborProject },
    runtime: runtimeStage(app, summary, crashing),
  };
}
