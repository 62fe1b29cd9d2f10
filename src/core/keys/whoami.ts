// What a client asks first: which workspace and scopes its key has.
import { notFound } from '../../domain/errors.js';
import type { Scope } from '../../domain/scopes.js';
import type { Principal, Workspace } from '../../domain/workspace.js';
import type { Deps } from '../deps.js';

export interface WhoAmI {
  keyId: string;
  workspace: Workspace;
  scopes: readonly Scope[];
}

export async function whoami(deps: Pick<Deps, 'store'>, input: { actor: Principal }): Promise<WhoAmI> {
  const workspace = (await deps.store.workspaces.byId(input.actor.workspaceId)) ?? notFound('Workspace');
  return { keyId: input.actor.keyId, workspace, scopes: input.actor.scopes };
}
