// Cancelling: a queued deployment ends at once; a building one has its build killed (the
// runner records the cancellation); one already rolling out can no longer be stopped.
import type { Deployment } from '../../domain/deployment.js';
import { terminalDeploymentStatuses } from '../../domain/deployment.js';
import { DomainError } from '../../domain/errors.js';
import type { Principal } from '../../domain/workspace.js';
import { authorize } from '../authorize.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Deps } from '../deps.js';
import { getDeployment } from '../revisions/get-deployment.js';

export async function cancelDeployment(deps: Deps, input: { actor: Principal; workspaceId: string; deploymentId: string }): Promise<Deployment> {
  authorize(input.actor, input.workspaceId, 'deploy:write');
  const deployment = await getDeployment(deps, input);
  if (terminalDeploymentStatuses.includes(deployment.status)) throw new DomainError('conflict', `The deployment already ended (${deployment.status})`);
  if (deployment.status === 'deploying') throw new DomainError('conflict', 'The deployment is already rolling out and can no longer be cancelled');
  await recordAudit(deps, { actor: input.actor, workspaceId: input.workspaceId, action: 'deploy.cancel', targetType: 'deployment', targetId: deployment.id });
  if (!deps.buildQueue.cancel(deployment.id)) {
    const now = deps.clock.now();
    await deps.store.deployments.update(deployment.id, { status: 'cancelled', error: 'Cancelled', finishedAt: now });
    await deps.store.builds.setState(deployment.id, 'done');
    deps.buildLogs.writer(deployment.id).line('[deploy] Cancelled before the build started');
    await deps.buildLogs.close(deployment.id);
  }
  return (await deps.store.deployments.byId(deployment.id)) ?? deployment;
}
