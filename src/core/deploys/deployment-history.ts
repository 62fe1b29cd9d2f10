// An app's deployments with where each stands now (live while its revision holds traffic,
// retired once it no longer does), and reverting to one of them: a rollback scoped to the app.
import { standingOf } from '../../domain/deployment.js';
import type { Deployment, DeploymentStanding } from '../../domain/deployment.js';
import { notFound } from '../../domain/errors.js';
import { isServing } from '../../domain/revision.js';
import { findApp } from '../apps/find-app.js';
import type { AppRef } from '../apps/find-app.js';
import type { Deps } from '../deps.js';
import { rollbackDeployment } from './redeploy.js';

export async function deploymentHistory(
  deps: Pick<Deps, 'store'>,
  input: AppRef,
): Promise<{ deployment: Deployment; standing: DeploymentStanding }[]> {
  const app = await findApp(deps, input, 'deploy:read');
  const [deployments, splits] = await Promise.all([deps.store.deployments.listAll(app.id), deps.store.traffic.get(app.id)]);
  const serving = new Set(splits.filter(isServing).map((s) => s.revisionName));
  return deployments.map((deployment) => ({ deployment, standing: standingOf(deployment, serving) }));
}

export async function revertDeployment(deps: Deps, input: AppRef & { deploymentId: string }): Promise<Deployment> {
  const app = await findApp(deps, input, 'deploy:write');
  const target = await deps.store.deployments.byId(input.deploymentId);
  if (!target || target.appId !== app.id) return notFound('Deployment');
  return rollbackDeployment(deps, { actor: input.actor, workspaceId: input.workspaceId, deploymentId: target.id });
}
