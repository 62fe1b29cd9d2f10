// An app's deployments numbered 1, 2, 3… in the order they were made (spec 003's
// `sequenceNumber`). Ids are time-ordered and an app's deployments go only with the app, so the
// number of a deployment is how many of its app's deployments are not newer.
import type { App } from '../../domain/app.js';
import type { Deployment } from '../../domain/deployment.js';
import { notFound } from '../../domain/errors.js';
import { findApp } from '../apps/find-app.js';
import type { AppRef } from '../apps/find-app.js';
import type { Deps } from '../deps.js';

export interface NumberedDeployment {
  app: App;
  deployment: Deployment;
  sequenceNumber: number;
}

/** Newest first. */
export async function listNumberedDeployments(deps: Pick<Deps, 'store'>, input: AppRef): Promise<NumberedDeployment[]> {
  const app = await findApp(deps, input, 'deploy:read');
  return numberAll(deps, app);
}

export async function getNumberedDeployment(deps: Pick<Deps, 'store'>, input: AppRef & { deploymentId: string }): Promise<NumberedDeployment> {
  const app = await findApp(deps, input, 'deploy:read');
  return (await numberAll(deps, app)).find((n) => n.deployment.id === input.deploymentId) ?? notFound('Deploy');
}

/**
 * A deployment just made, as it was made, with its number. Not the row read back: its rollout may
 * already have started while the list was read, and the answer to a deploy is what it created.
 */
export async function numbered(deps: Pick<Deps, 'store'>, app: App, deployment: Deployment): Promise<NumberedDeployment> {
  const all = await numberAll(deps, app);
  const sequenceNumber = all.find((n) => n.deployment.id === deployment.id)?.sequenceNumber ?? all.length + 1;
  return { app, deployment, sequenceNumber };
}

async function numberAll(deps: Pick<Deps, 'store'>, app: App): Promise<NumberedDeployment[]> {
  const all = await deps.store.deployments.listAll(app.id);
  return all.map((deployment, index) => ({ app, deployment, sequenceNumber: all.length - index }));
}
