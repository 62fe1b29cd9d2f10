// Each mutating use-case leaves one audit entry: who (key id), what, when. Never secret values.
import type { AuditAction } from '../../domain/audit.js';
import type { Principal } from '../../domain/workspace.js';
import type { Deps } from '../deps.js';

export interface AuditInput {
  actor: Principal | null;
  workspaceId: string;
  action: AuditAction;
  targetType: string;
  targetId: string | null;
  /** The app changed; for targets of type `app` it is the target. */
  appId?: string | null;
  detail?: Record<string, unknown>;
}

export async function recordAudit(deps: Pick<Deps, 'store' | 'clock' | 'ids'>, input: AuditInput): Promise<void> {
  await deps.store.audit.append({
    id: deps.ids('audit'),
    workspaceId: input.workspaceId,
    actorKeyId: input.actor?.keyId ?? null,
    action: input.action,
    targetType: input.targetType,
    targetId: input.targetId,
    appId: input.appId ?? (input.targetType === 'app' ? input.targetId : null),
    detail: input.detail ?? null,
    createdAt: deps.clock.now(),
  });
}
