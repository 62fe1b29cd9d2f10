// Berth offers no data products; the honest answer is an empty list for the caller's own
// workspace, and 404 for any other (client-contract.md).
import { DomainError } from '../../domain/errors.js';
import type { Principal } from '../../domain/workspace.js';

export async function listDataProducts(_deps: unknown, input: { actor: Principal; workspaceId: string }): Promise<never[]> {
  if (input.actor.workspaceId !== input.workspaceId) throw new DomainError('not_found', 'Workspace not found');
  return [];
}
