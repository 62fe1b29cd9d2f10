// Provisioning runs after the request has answered: the record says `provisioning` first (a row
// written before the side effect), then `running` with its connection, or `failed` with the reason.
import type { ManagedDatabase } from '../../domain/database.js';
import type { Deps } from '../deps.js';

/** Resolves once the database is running or has failed; never rejects. */
export async function provisionDatabase(deps: Pick<Deps, 'store' | 'clock' | 'databaseEngines'>, database: ManagedDatabase): Promise<void> {
  try {
    const { connection } = await deps.databaseEngines.provision(database);
    // Deleted meanwhile: its engine has cleaned up (destroy waits for provisioning), nothing to record.
    if (!(await deps.store.databases.byId(database.id))) return;
    await deps.store.databases.setConnection(database.id, connection, deps.clock.now());
    await deps.store.databases.setStatus(database.id, 'running', null, deps.clock.now());
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (await deps.store.databases.byId(database.id)) await deps.store.databases.setStatus(database.id, 'failed', reason, deps.clock.now());
  }
}

/**
 * After a restart: every database that ran (or was provisioning) is started again, with its data,
 * as provisioning in flight (deps.provisioning), so a delete waits for that start and a restart is
 * refused during it, as while a database is created. Resolves once every start is tracked (before
 * the API answers anyone); the starts themselves go on in the background.
 */
export async function resumeDatabases(deps: Pick<Deps, 'store' | 'clock' | 'databaseEngines' | 'provisioning'>): Promise<void> {
  const databases = (await deps.store.databases.listAll()).filter((d) => d.status !== 'failed');
  for (const database of databases) void deps.provisioning.track(database.id, provisionDatabase(deps, database));
}
