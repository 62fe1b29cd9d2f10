// Listing alerts with the filters of spec 004, and resolving one by hand (which also tells the
// alert webhook, like an automatic resolution).
import { notFound } from '../../domain/errors.js';
import type { Principal } from '../../domain/workspace.js';
import { authorize } from '../authorize.js';
import type { Deps } from '../deps.js';
import type { Alert } from '../ports/telemetry.js';

export interface ListAlertsInput {
  actor: Principal;
  workspaceId: string;
  /** Id or slug. */
  appId?: string;
  resolved?: boolean;
  limit?: number;
}

export async function listAlerts(deps: Pick<Deps, 'store'>, input: ListAlertsInput): Promise<Alert[]> {
  authorize(input.actor, input.workspaceId, 'monitoring:read');
  let appId: string | null = null;
  if (input.appId !== undefined) {
    const app = await deps.store.apps.findForPurge(input.workspaceId, input.appId);
    if (!app) return [];
    appId = app.id;
  }
  return deps.store.alerts.list({ workspaceId: input.workspaceId, appId, resolved: input.resolved ?? null, limit: input.limit ?? 50 });
}

export async function resolveAlert(
  deps: Pick<Deps, 'store' | 'telemetry' | 'clock'>,
  input: { actor: Principal; workspaceId: string; alertId: string },
): Promise<Alert> {
  authorize(input.actor, input.workspaceId, 'monitoring:write');
  const alert = (await deps.store.alerts.byId(input.workspaceId, input.alertId)) ?? notFound('Alert');
  if (alert.resolvedAt) return alert;
  const resolved = (await deps.store.alerts.resolve(alert.id, deps.clock.now(), 'user')) ?? (await deps.store.alerts.byId(input.workspaceId, alert.id));
  if (!resolved) return notFound('Alert');
  deps.telemetry.alertResolved(resolved);
  return resolved;
}
