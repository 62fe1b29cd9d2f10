// Backups of managed databases (beyond the contract, as users expect): taken on a schedule
// (BERTH_DB_BACKUP_CRON) and on demand, the newest BERTH_DB_BACKUP_KEEP kept, listed and restored;
// each attempt a user makes is audited, a failed one with its reason.
import { DomainError, notFound } from '../../domain/errors.js';
import type { DatabaseBackup } from '../ports/databases.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Deps } from '../deps.js';
import { findDatabase, requireRunning, type DatabaseRef } from './find-database.js';

type BackupDeps = Pick<Deps, 'store' | 'clock' | 'ids' | 'databaseEngines' | 'settings'>;

export async function listBackups(deps: Pick<Deps, 'store' | 'databaseEngines'>, input: DatabaseRef): Promise<DatabaseBackup[]> {
  const database = await findDatabase(deps, input, 'databases:read');
  return deps.databaseEngines.backups.list(database.id);
}

export async function takeBackup(deps: BackupDeps, input: DatabaseRef): Promise<DatabaseBackup> {
  const database = await findDatabase(deps, input, 'databases:write');
  requireRunning(database);
  const audit = (detail: Record<string, unknown>) => recordAudit(deps, { actor: input.actor, workspaceId: input.workspaceId, action: 'database.backup', targetType: 'database', targetId: database.id, detail });
  let backup: DatabaseBackup;
  try {
    backup = await deps.databaseEngines.backups.take(database);
  } catch (error) {
    await audit({ backupId: null, error: failureOf(error) });
    throw error;
  }
  await deps.databaseEngines.backups.prune(database.id, deps.settings.databases.backupKeep);
  await audit({ backupId: backup.id });
  return backup;
}

export async function restoreBackup(deps: BackupDeps, input: DatabaseRef & { backupId: string }): Promise<DatabaseBackup> {
  const database = await findDatabase(deps, input, 'databases:write');
  requireRunning(database);
  const backup = (await deps.databaseEngines.backups.list(database.id)).find((b) => b.id === input.backupId) ?? notFound('Backup');
  const audit = (detail: Record<string, unknown>) => recordAudit(deps, { actor: input.actor, workspaceId: input.workspaceId, action: 'database.restore', targetType: 'database', targetId: database.id, detail: { backupId: backup.id, ...detail } });
  let restored: boolean;
  try {
    restored = await deps.databaseEngines.backups.restore(database, backup.id);
  } catch (error) {
    await audit({ error: failureOf(error) });
    throw error;
  }
  // Gone since it was listed (the oldest, pruned by a backup taken meanwhile): nothing was restored.
  if (!restored) notFound('Backup');
  await audit({});
  return backup;
}

/** A failed attempt's reason for its audit entry: what the user was answered (an internal error's details stay in the log). */
function failureOf(error: unknown): string {
  return error instanceof DomainError ? error.message : 'internal error';
}

/** The scheduled round: a backup of every running database, then retention. Never throws. */
export async function backUpAll(deps: Pick<Deps, 'store' | 'databaseEngines' | 'settings'>): Promise<{ taken: number; failed: string[] }> {
  const failed: string[] = [];
  let taken = 0;
  for (const database of (await deps.store.databases.listAll()).filter((d) => d.status === 'running')) {
    try {
      await deps.databaseEngines.backups.take(database);
      await deps.databaseEngines.backups.prune(database.id, deps.settings.databases.backupKeep);
      taken += 1;
    } catch (error) {
      failed.push(`${database.id}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { taken, failed };
}
