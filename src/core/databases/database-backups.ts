// Backups of managed databases (beyond the contract, as users expect): taken on a schedule
// (BERTH_DB_BACKUP_CRON) and on demand, the newest BERTH_DB_BACKUP_KEEP kept, listed and restored.
import { DomainError, notFound } from '../../domain/errors.js';
import type { DatabaseBackup } from '../ports/databases.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Deps } from '../deps.js';
import { findDatabase, type DatabaseRef } from './find-database.js';

type BackupDeps = Pick<Deps, 'store' | 'clock' | 'ids' | 'databaseEngines' | 'settings'>;

export async function listBackups(deps: Pick<Deps, 'store' | 'databaseEngines'>, input: DatabaseRef): Promise<DatabaseBackup[]> {
  const database = await findDatabase(deps, input, 'databases:read');
  return deps.databaseEngines.backups.list(database.id);
}

export async function takeBackup(deps: BackupDeps, input: DatabaseRef): Promise<DatabaseBackup> {
  const database = await findDatabase(deps, input, 'databases:write');
  if (database.status !== 'running') throw new DomainError('conflict', 'Database is not RUNNING');
  const backup = await deps.databaseEngines.backups.take(database);
  await deps.databaseEngines.backups.prune(database.id, deps.settings.databases.backupKeep);
  await recordAudit(deps, { actor: input.actor, workspaceId: input.workspaceId, action: 'database.backup', targetType: 'database', targetId: database.id, detail: { backupId: backup.id } });
  return backup;
}

export async function restoreBackup(deps: BackupDeps, input: DatabaseRef & { backupId: string }): Promise<DatabaseBackup> {
  const database = await findDatabase(deps, input, 'databases:write');
  if (database.status !== 'running') throw new DomainError('conflict', 'Database is not RUNNING');
  const backup = (await deps.databaseEngines.backups.list(database.id)).find((b) => b.id === input.backupId) ?? notFound('Backup');
  // Gone since it was listed (the oldest, pruned by a backup taken meanwhile): nothing was restored.
  if (!(await deps.databaseEngines.backups.restore(database, backup.id))) notFound('Backup');
  await recordAudit(deps, { actor: input.actor, workspaceId: input.workspaceId, action: 'database.restore', targetType: 'database', targetId: database.id, detail: { backupId: backup.id } });
  return backup;
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
