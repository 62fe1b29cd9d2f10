// Cancelling: a queued deployment ends at once; a building one has its build killed (the
// runner records the cancellation); one already rolling out can no longer be stopped.
import type { Deployment } from '../../domain/deployment.js';
import { terminalDeploymentStatuses } from '../../domain/deployment.js';
import { DomainError } from '../../domain/errors.js';
import type { Principal } from '../../domain/workspace.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Deps } from '../deps.js';
import { getDeployment } from '../revisions/get-deployment.js';

/** Ends a deployment that has not started yet; false when it had started or ended meanwhile. */
export async function cancelQueued(deps: Pick<Deps, 'store' | 'buildLogs'>, input: { deploymentId: string; reason: string; at: Date }): Promise<boolean> {
  const changes = { status: 'cancelled', error: input.reason, finishedAt: input.at } as const;
  if (!(await deps.store.deployments.updateIfActive(input.deploymentId, changes, ['queued']))) return false;
  await deps.store.builds.setState(input.deploymentId, 'done');
  deps.buildLogs.writer(input.deploymentId).line(`[deploy] ${input.reason} before the build started`);
  await deps.buildLogs.close(input.deploymentId);
  return true;
}

export async function cancelDeployment(deps: Deps, input: { actor: Principal; workspaceId: string; deploymentId: string }): Promise<Deployment> {
  const deployment = await getDeployment(deps, { ...input, scope: 'deploy:write' });
  if (terminalDeploymentStatuses.includes(deployment.status)) throw new DomainError('conflict', `The deployment already ended (${deployment.status})`);
  if (deployment.status === 'deploying') throw new DomainError('conflict', 'The deployment is already rolling out and can no longer be cancelled');
  await recordAudit(deps, { actor: input.actor, workspaceId: input.workspaceId, appId: deployment.appId, action: 'deploy.cancel', targetType: 'deployment', targetId: deployment.id });
  if (!deps.buildQueue.cancel(deployment.id)) {
    const now = deps.clock.now();
    await cancelQueued(deps, { deploymentId: deployment.id, reason: 'Cancelled', at: now });
  }
  return (await deps.store.deployments.byId(deployment.id)) ?? deployment;
}
