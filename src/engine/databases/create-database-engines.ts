// The database engines of this machine behind the core's one port: each engine provisions,
// destroys and (POSTGRES) queries its own kind; an engine the machine cannot run offers no version.
import type { DatabaseEngines } from '../../core/ports/databases.js';
import type { DatabaseEngine } from '../../domain/database.js';
import { DomainError } from '../../domain/errors.js';
import type { VolumeStore } from '../volumes/volume-store.js';
import { provisionSqlite, SQLITE_VERSION } from './sqlite-engine.js';

export interface DatabaseEnginesOptions {
  volumes: VolumeStore;
}

export function createDatabaseEngines(options: DatabaseEnginesOptions): DatabaseEngines {
  const versions: Record<DatabaseEngine, readonly string[]> = { SQLITE: [SQLITE_VERSION], POSTGRES: [], REDIS: [] };
  return {
    versions: (engine) => versions[engine],
    async provision(database) {
      switch (database.engine) {
        case 'SQLITE':
          return provisionSqlite(options.volumes, database);
        case 'POSTGRES':
        case 'REDIS':
          throw new Error(`${database.engine} is not available on this machine`);
      }
    },
    async destroy(database) {
      await options.volumes.remove(database.id);
    },
    async query(database) {
      throw new DomainError('invalid', `query is available for POSTGRES databases only, not ${database.engine}`);
    },
    async close() {
      // Nothing runs for SQLITE.
    },
  };
}
