// One deployment of the caller's workspace.
import type { Deployment } from '../../domain/deployment.js';
import { notFound } from '../../domain/errors.js';
import type { Principal } from '../../domain/workspace.js';
import { authorize } from '../authorize.js';
import type { Deps } from '../deps.js';

export async function getDeployment(
  deps: Pick<Deps, 'store'>,
  input: { actor: Principal; workspaceId: string; deploymentId: string },
): Promise<Deployment> {
  authorize(input.actor, input.workspaceId, 'deploy:read');
  const deployment = await deps.store.deployments.byId(input.deploymentId);
  if (!deployment || deployment.workspaceId !== input.workspaceId) return notFound('Deployment');
  return deployment;
}
