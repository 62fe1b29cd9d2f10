// The runtime status of a deployment's revision (spec 001), as the reconciler sees it now.
import { notFound } from '../../domain/errors.js';
import type { Principal } from '../../domain/workspace.js';
import { authorize } from '../authorize.js';
import type { Deps } from '../deps.js';
import type { RevisionRuntimeStatus } from '../ports/orchestrator.js';

export async function deploymentRuntimeStatus(
  deps: Pick<Deps, 'store' | 'orchestrator'>,
  input: { actor: Principal; workspaceId: string; deploymentId: string },
): Promise<RevisionRuntimeStatus & { revisionName: string | null }> {
  authorize(input.actor, input.workspaceId, 'deploy:read');
  const deployment = await deps.store.deployments.byId(input.deploymentId);
  if (!deployment || deployment.workspaceId !== input.workspaceId) return notFound('Deployment');
  const revision = deployment.revisionName ? await deps.store.revisions.find(deployment.appId, deployment.revisionName) : null;
  if (!revision) return { phase: 'Pending', ready: 0, total: 0, restarts: 0, conditions: [], revisionName: null };
  return { ...deps.orchestrator.revisionStatus(revision.id), revisionName: revision.name };
}
