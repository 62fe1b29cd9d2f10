// One deployment of the caller's workspace.
import type { Deployment } from '../../domain/deployment.js';
import { notFound } from '../../domain/errors.js';
import type { Scope } from '../../domain/scopes.js';
import type { Principal } from '../../domain/workspace.js';
import { authorize } from '../authorize.js';
import type { Deps } from '../deps.js';

export async function getDeployment(
  deps: Pick<Deps, 'store'>,
  input: { actor: Principal; workspaceId: string; deploymentId: string; scope?: Scope },
): Promise<Deployment> {
  // Acting on a deployment (cancel, rollback) needs deploy:write alone, reading it deploy:read.
  authorize(input.actor, input.workspaceId, input.scope ?? 'deploy:read');
  const deployment = await deps.store.deployments.byId(input.deploymentId);
  if (!deployment || deployment.workspaceId !== input.workspaceId) return notFound('Deployment');
  return deployment;
}
