// Manual scaling: 0-10 replicas; 0 stops the app without deleting it. The answer is the app's
// runtime after the change is applied: settled only once the serving revisions have exactly that
// many ready instances (warm standbys are never replicas).
import { refuseReplicasOfPinned } from '../apps/pin-one-replica.js';
import { replicasProblem, requestedReplicas } from '../../domain/app.js';
import { refuse } from '../../domain/errors.js';
import { findApp } from '../apps/find-app.js';
import type { AppRef } from '../apps/find-app.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Deps } from '../deps.js';
import type { App } from '../../domain/app.js';
import type { AppRuntimeSummary } from '../ports/orchestrator.js';

export interface ScaleResult {
  app: App;
  /** The replicas asked for. */
  replicas: number;
  /** The app's runtime once the change was applied. */
  runtime: AppRuntimeSummary;
  /** The serving revisions run exactly `replicas` ready instances, and no instance is still stopping. */
  settled: boolean;
}

export async function scaleApp(deps: Deps, input: AppRef & { replicas: number }): Promise<ScaleResult> {
  const app = await findApp(deps, input, 'deploy:write');
  refuse([replicasProblem(input.replicas)].filter((p) => p !== null));
  await refuseReplicasOfPinned(deps, app.id, { replicas: input.replicas });
  const now = deps.clock.now();
  await deps.store.apps.setReplicas(app.id, input.replicas, now);
  const hasTraffic = (await deps.store.traffic.get(app.id)).length > 0;
  if (input.replicas === 0) await deps.store.apps.setStatus(app.id, 'stopped', now);
  else if (hasTraffic && (app.status === 'stopped' || app.status === 'disabled')) await deps.store.apps.setStatus(app.id, 'active', now);
  await deps.orchestrator.reconcileNow();
  if (input.replicas !== requestedReplicas(app) || app.replicas === null) {
    deps.events.record({ appId: app.id, type: 'Normal', reason: 'ScalingReplicaSet', message: `Scaled to ${input.replicas} replica${input.replicas === 1 ? '' : 's'}`, object: { kind: 'App', name: app.slug } });
  }
  await recordAudit(deps, {
    actor: input.actor,
    workspaceId: app.workspaceId,
    action: 'app.scale',
    targetType: 'app',
    targetId: app.id,
    detail: { replicas: input.replicas },
  });
  const runtime = await deps.orchestrator.appSummary(app.id);
  // Instances told to stop may run on for the drain timeout (an app that ignores SIGTERM): not settled until they exit.
  const settled = runtime.readyReplicas === runtime.desiredReplicas && runtime.totalReplicas === runtime.desiredReplicas && runtime.stoppingInstances === 0;
  return { app: { ...app, replicas: input.replicas, updatedAt: now }, replicas: input.replicas, runtime, settled };
}
