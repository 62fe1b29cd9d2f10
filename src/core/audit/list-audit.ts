// The audit trail of one app read back: every change made to it (and to its deployments, env,
// uploads, shares and domains), newest first, with the name of the key that made it.
import type { AuditEntry } from '../../domain/audit.js';
import { findApp } from '../apps/find-app.js';
import type { AppRef } from '../apps/find-app.js';
import type { Deps } from '../deps.js';

export const maxAuditEntries = 1_000;

export async function listAppAudit(
  deps: Pick<Deps, 'store'>,
  input: AppRef & { limit?: number },
): Promise<(AuditEntry & { actorName: string | null })[]> {
  const app = await findApp(deps, input, 'apps:read');
  return deps.store.audit.listForApp(app.id, Math.min(Math.max(1, input.limit ?? maxAuditEntries), maxAuditEntries));
}
