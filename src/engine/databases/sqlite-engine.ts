// SQLITE: a database is a volume (the app's file lives in it); nothing runs, so it is ready at once.
import type { ProvisionResult } from '../../core/ports/databases.js';
import type { ManagedDatabase } from '../../domain/database.js';
import type { VolumeStore } from '../volumes/volume-store.js';

export const SQLITE_VERSION = '3';

export async function provisionSqlite(volumes: VolumeStore, database: ManagedDatabase): Promise<ProvisionResult> {
  await volumes.ensure(database.id, database.resources.storageGb * 1024);
  return { connection: { host: '', port: 0, username: '', password: '', database: 'db.sqlite' } };
}
