// Authorization lives in the core once: a key acts only in its own workspace (others are
// indistinguishable from absent, so 404) and only with the scopes it holds (403 naming the scope).
import { DomainError } from '../domain/errors.js';
import type { Scope } from '../domain/scopes.js';
import type { Principal } from '../domain/workspace.js';

export function authorize(actor: Principal, workspaceId: string, scope: Scope): void {
  if (actor.workspaceId !== workspaceId) throw new DomainError('not_found', 'Workspace not found');
  if (!actor.scopes.includes(scope)) throw new DomainError('forbidden', `Missing required scope: ${scope}`);
}
