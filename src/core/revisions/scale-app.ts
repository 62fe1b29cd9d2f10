// Manual scaling (spec 001): 0-10 replicas; 0 stops the app without deleting it. The answer
// counts the serving revisions' ready instances after the change is applied: `stable` only once
// that many are ready, never warm standbys.
import { DomainError } from '../../domain/errors.js';
import { findApp } from '../apps/find-app.js';
import type { AppRef } from '../apps/find-app.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Deps } from '../deps.js';

export interface ScaleResult {
  appId: string;
  name: string;
  requestedReplicas: number;
  /** Ready replicas of the serving revisions now. */
  currentReplicas: number;
  /** Instances kept warm besides (recently served or tagged revisions). */
  warmInstances: number;
  status: 'stable' | 'scaling';
}

export async function scaleApp(deps: Deps, input: AppRef & { replicas: number }): Promise<ScaleResult> {
  const app = await findApp(deps, input, 'deploy:write');
  if (!Number.isInteger(input.replicas) || input.replicas < 0 || input.replicas > 10) {
    throw new DomainError('invalid', 'replicas must be an integer between 0 and 10');
  }
  const now = deps.clock.now();
  await deps.store.apps.setReplicas(app.id, input.replicas, now);
  const hasTraffic = (await deps.store.traffic.get(app.id)).length > 0;
  if (input.replicas === 0) await deps.store.apps.setStatus(app.id, 'stopped', now);
  else if (hasTraffic && (app.status === 'stopped' || app.status === 'disabled')) await deps.store.apps.setStatus(app.id, 'active', now);
  await deps.orchestrator.reconcileNow();
  await recordAudit(deps, {
    actor: input.actor,
    workspaceId: app.workspaceId,
    action: 'app.scale',
    targetType: 'app',
    targetId: app.id,
    detail: { replicas: input.replicas },
  });
  const after = await deps.orchestrator.appSummary(app.id);
  const settled = after.readyReplicas === after.desiredReplicas && after.totalReplicas === after.desiredReplicas;
  return {
    appId: app.id,
    name: app.name,
    requestedReplicas: input.replicas,
    currentReplicas: after.readyReplicas,
    warmInstances: after.warmInstances,
    status: settled ? 'stable' : 'scaling',
  };
}
