// Apps as a caller sees them at a glance: the app, its status now, when it last went live, and
// its latest deployment; one app also with its env (for keys that may read env). An app whose
// first deployment (or a deployment after a failure) is under way is `deploying`, not stopped.
import type { App, AppStatus } from '../../domain/app.js';
import { isTerminal } from '../../domain/deployment.js';
import type { Deployment } from '../../domain/deployment.js';
import { reachesRuntime } from '../../domain/env-var-record.js';
import type { EnvVar } from '../../domain/env-var-record.js';
import type { Principal } from '../../domain/workspace.js';
import { authorize } from '../authorize.js';
import type { Deps } from '../deps.js';
import { findApp } from './find-app.js';
import type { AppRef } from './find-app.js';

export interface AppOverview {
  app: App;
  status: AppStatus;
  lastDeployedAt: Date | null;
  latestDeployment: Deployment | null;
  /** Replicas per serving revision now: its scale, the autoscaler's choice, or minReplicas. */
  replicas: number;
}

/** The stored status, except that an app not serving while a deployment is under way is deploying. */
export function statusNow(app: App, latest: Deployment | null): AppStatus {
  const waiting = app.status === 'stopped' || app.status === 'failed' || app.status === 'build_failed';
  return waiting && app.replicas !== 0 && latest !== null && !isTerminal(latest.status) ? 'deploying' : app.status;
}

/** Every app of the workspace, oldest first (no paging: small workspaces are the case this serves). */
export async function listAppOverviews(deps: Pick<Deps, 'store' | 'orchestrator'>, input: { actor: Principal; workspaceId: string }): Promise<AppOverview[]> {
  authorize(input.actor, input.workspaceId, 'apps:read');
  const [{ apps }, latest, deployedAt] = await Promise.all([
    deps.store.apps.list({ workspaceId: input.workspaceId, page: 1, limit: 1_000_000 }),
    deps.store.deployments.latestOfWorkspace(input.workspaceId),
    deps.store.deployments.lastSucceededAt(input.workspaceId),
  ]);
  const latestByApp = new Map(latest.map((d) => [d.appId, d]));
  return [...apps].reverse().map((app) => {
    const latestDeployment = latestByApp.get(app.id) ?? null;
    return { app, status: statusNow(app, latestDeployment), lastDeployedAt: deployedAt.get(app.id) ?? null, latestDeployment, replicas: deps.orchestrator.replicasFor(app) };
  });
}

export async function describeApp(deps: Pick<Deps, 'store' | 'orchestrator'>, input: AppRef): Promise<AppOverview & { env: EnvVar[] | null }> {
  const app = await findApp(deps, input, 'apps:read');
  const [latestDeployment, lastSucceeded] = await Promise.all([deps.store.deployments.latest(app.id), deps.store.deployments.latestSucceeded(app.id)]);
  // Spec 002's env is the app's runtime env: build-time variables (spec 003) are not part of it.
  const env = input.actor.scopes.includes('env-vars:read') ? (await deps.store.envVars.list(app.id)).filter((v) => reachesRuntime(v.scope)) : null;
  return { app, status: statusNow(app, latestDeployment), lastDeployedAt: lastSucceeded?.finishedAt ?? null, latestDeployment, replicas: deps.orchestrator.replicasFor(app), env };
}
