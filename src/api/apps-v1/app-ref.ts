// The Apps API has no workspace in its paths: the key's workspace is the scope (`project_id`).
import { actorOf } from '../auth.js';
import type { Principal } from '../../domain/workspace.js';

export function scopeOf(request: { principal: Principal | null }) {
  const actor = actorOf(request);
  return { actor, workspaceId: actor.workspaceId };
}

/** The caller and the app `:id` names (id or slug). */
export function appOf(request: { principal: Principal | null; params: { id: string } }) {
  return { ...scopeOf(request), appId: request.params.id };
}
