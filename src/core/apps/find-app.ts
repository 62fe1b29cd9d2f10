// Loads a live app of the workspace by id or slug after checking the caller may act there.
import type { App } from '../../domain/app.js';
import { notFound } from '../../domain/errors.js';
import type { Scope } from '../../domain/scopes.js';
import type { Principal } from '../../domain/workspace.js';
import { authorize } from '../authorize.js';
import type { Deps } from '../deps.js';

export interface AppRef {
  actor: Principal;
  workspaceId: string;
  /** Id or slug (client-contract.md). */
  appId: string;
}

export async function findApp(deps: Pick<Deps, 'store'>, ref: AppRef, scope: Scope): Promise<App> {
  authorize(ref.actor, ref.workspaceId, scope);
  return (await deps.store.apps.find(ref.workspaceId, ref.appId)) ?? notFound('App');
}
