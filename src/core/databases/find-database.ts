// Loads a database of the workspace by id or slug after checking the caller may act there, and
// refuses, saying why, what needs a running one.
import type { ManagedDatabase } from '../../domain/database.js';
import { DomainError, notFound } from '../../domain/errors.js';
import type { Scope } from '../../domain/scopes.js';
import type { Principal } from '../../domain/workspace.js';
import { authorize } from '../authorize.js';
import type { Deps } from '../deps.js';

export interface DatabaseRef {
  actor: Principal;
  workspaceId: string;
  /** Id or slug. */
  databaseId: string;
}

export async function findDatabase(deps: Pick<Deps, 'store'>, ref: DatabaseRef, scope: Scope): Promise<ManagedDatabase> {
  authorize(ref.actor, ref.workspaceId, scope);
  return (await deps.store.databases.find(ref.workspaceId, ref.databaseId)) ?? notFound('Database');
}

/** A conflict unless the database is RUNNING; a FAILED one's answer says why it failed. */
export function requireRunning(database: ManagedDatabase): void {
  if (database.status === 'running') return;
  const why = database.status === 'failed' && database.statusMessage ? ` (it FAILED: ${database.statusMessage})` : '';
  throw new DomainError('conflict', `Database is not RUNNING${why}`);
}
