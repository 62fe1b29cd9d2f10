// The runtime status of a deployment's revision (spec 001), as the reconciler sees it now. A
// deployment without a revision is still building (Pending), or ended before it had one: then
// Failed (or Stopped when cancelled), with the reason, never Pending forever.
import { isTerminal } from '../../domain/deployment.js';
import type { Deployment } from '../../domain/deployment.js';
import { notFound } from '../../domain/errors.js';
import type { Principal } from '../../domain/workspace.js';
import { authorize } from '../authorize.js';
import type { Deps } from '../deps.js';
import type { RevisionRuntimeStatus } from '../ports/orchestrator.js';

/** Without a revision, the deployment's own record is all there is to tell. */
function withoutRevision(d: Deployment): RevisionRuntimeStatus {
  const at = (d.finishedAt ?? d.startedAt ?? d.createdAt).toISOString();
  if (!isTerminal(d.status)) {
    const what = d.status === 'queued' ? 'waiting for the build queue' : 'building the new revision';
    return {
      phase: 'Pending',
      ready: 0,
      total: 0,
      restarting: 0,
      stopping: 0,
      lastFailure: null,
      lastFailureAt: null,
      restarts: 0,
      conditions: [{ type: 'Progressing', status: 'True', reason: d.status === 'queued' ? 'Queued' : 'Building', message: what, lastTransitionTime: at }],
    };
  }
  const reason = d.status === 'cancelled' ? 'Cancelled' : 'BuildFailed';
  const message = d.error ?? (d.status === 'cancelled' ? 'the deployment was cancelled' : 'the deployment failed before it had a revision');
  return {
    phase: d.status === 'cancelled' ? 'Stopped' : 'Failed',
    ready: 0,
    total: 0,
    restarting: 0,
    stopping: 0,
    lastFailure: null,
    lastFailureAt: null,
    restarts: 0,
    conditions: [
      { type: 'Available', status: 'False', reason, message, lastTransitionTime: at },
      { type: 'Progressing', status: 'False', reason, message, lastTransitionTime: at },
    ],
  };
}

export async function deploymentRuntimeStatus(
  deps: Pick<Deps, 'store' | 'orchestrator'>,
  input: { actor: Principal; workspaceId: string; deploymentId: string },
): Promise<RevisionRuntimeStatus & { revisionName: string | null }> {
  authorize(input.actor, input.workspaceId, 'deploy:read');
  const deployment = await deps.store.deployments.byId(input.deploymentId);
  if (!deployment || deployment.workspaceId !== input.workspaceId) return notFound('Deployment');
  const revision = deployment.revisionName ? await deps.store.revisions.find(deployment.appId, deployment.revisionName) : null;
  if (!revision) return { ...withoutRevision(deployment), revisionName: null };
  const failure = revision.status === 'failed' ? (revision.statusMessage ?? deployment.error) : null;
  return { ...deps.orchestrator.revisionStatus(revision.id, failure), revisionName: revision.name };
}
