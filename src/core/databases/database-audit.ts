// A database's audit trail read back (a Berth extension): its creation, attachments, every query
// call, backups and restores (failed attempts with the reason they were answered), and Berth giving
// up on its server; newest first, a page at a time (`before`: the last entry of the previous page).
// Reading it needs databases:read; the SQL of a query (and its error, which may quote it) only
// shows to keys that may run queries (databases:query): others see that a query ran, by whom.
import type { AuditEntry } from '../../domain/audit.js';
import { isIdOf } from '../../domain/ids.js';
import { refuse } from '../../domain/errors.js';
import type { Deps } from '../deps.js';
import { findDatabase, type DatabaseRef } from './find-database.js';

export const databaseAuditPage = { defaultLimit: 100, maxLimit: 1000 } as const;

const AUDIT_ID = /^[a-z]+_[0-9a-z]{26}$/;

export async function listDatabaseAudit(
  deps: Pick<Deps, 'store'>,
  input: DatabaseRef & { limit?: number | undefined; before?: string | undefined },
): Promise<(AuditEntry & { actorName: string | null })[]> {
  const database = await findDatabase(deps, input, 'databases:read');
  const limit = input.limit ?? databaseAuditPage.defaultLimit;
  const before = input.before ?? null;
  refuse(
    [
      !Number.isInteger(limit) || limit < 1 || limit > databaseAuditPage.maxLimit ? `limit must be an integer from 1 to ${databaseAuditPage.maxLimit}` : null,
      before !== null && !(isIdOf('audit', before) && AUDIT_ID.test(before)) ? 'before must be the id of an audit entry (aud_…), as a previous page gave it' : null,
    ].filter((p): p is string => p !== null),
  );
  const entries = await deps.store.audit.listForTarget({ workspaceId: database.workspaceId, targetType: 'database', targetId: database.id, before, limit });
  return input.actor.scopes.includes('databases:query') ? entries : entries.map(withoutSql);
}

const withoutSql = <E extends AuditEntry>(entry: E): E => {
  if (entry.action !== 'database.query' || !entry.detail) return entry;
  const failed = entry.detail['error'] !== null && entry.detail['error'] !== undefined;
  return { ...entry, detail: { ...entry.detail, sql: null, error: failed ? sqlHidden : null } };
};

/** In place of a failed query's error for keys without databases:query. */
export const sqlHidden = 'hidden: the SQL and its error need databases:query';
