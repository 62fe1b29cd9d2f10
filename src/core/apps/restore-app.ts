// Undoing a soft delete (spec 003): the app comes back as it was, unless a live app of the
// workspace took its slug meanwhile (a conflict the caller resolves by renaming that one).
import type { App } from '../../domain/app.js';
import { DomainError, notFound } from '../../domain/errors.js';
import { field, say } from '../../domain/wording.js';
import { recordAudit } from '../audit/record-audit.js';
import { authorize } from '../authorize.js';
import type { Deps } from '../deps.js';
import type { AppRef } from './find-app.js';

export async function restoreApp(deps: Deps, input: AppRef): Promise<App> {
  authorize(input.actor, input.workspaceId, 'apps:write');
  const app = await deps.store.apps.findForPurge(input.workspaceId, input.appId);
  if (!app?.deletedAt) return notFound('Deleted app');
  const now = deps.clock.now();
  try {
    await deps.store.apps.restore(app, now);
  } catch (error) {
    if (error instanceof DomainError && error.code === 'conflict') {
      throw new DomainError('conflict', say`${field('slug')} "${app.slug}" was taken by another app since this one was deleted; change that app's ${field('slug')} first`);
    }
    throw error;
  }
  await deps.orchestrator.reconcileNow();
  await recordAudit(deps, { actor: input.actor, workspaceId: app.workspaceId, action: 'app.restore', targetType: 'app', targetId: app.id, detail: { slug: app.slug } });
  return { ...app, deletedAt: null, updatedAt: now };
}
