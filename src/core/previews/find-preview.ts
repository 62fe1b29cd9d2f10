// Loads a preview session the caller may act on: one of its workspace (others are
// indistinguishable from absent).
import { notFound } from '../../domain/errors.js';
import type { PreviewSession } from '../../domain/preview-session.js';
import type { Scope } from '../../domain/scopes.js';
import type { Principal } from '../../domain/workspace.js';
import { authorize } from '../authorize.js';
import type { Deps } from '../deps.js';

export interface PreviewRef {
  actor: Principal;
  workspaceId: string;
  sessionId: string;
}

export async function findPreview(deps: Pick<Deps, 'store'>, ref: PreviewRef, scope: Scope): Promise<PreviewSession> {
  authorize(ref.actor, ref.workspaceId, scope);
  const session = await deps.store.previewSessions.byId(ref.sessionId);
  return session && session.workspaceId === ref.workspaceId ? session : notFound('Preview session');
}
