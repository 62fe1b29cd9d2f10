// The database engines of this machine behind the core's one port: each engine provisions,
// destroys and (POSTGRES) queries its own kind; an engine the machine cannot run offers no version.
import type { DatabaseEngines } from '../../core/ports/databases.js';
import type { Logger } from '../../core/ports/logger.js';
import type { DatabaseEngine } from '../../domain/database.js';
import { DomainError } from '../../domain/errors.js';
import type { VolumeStore } from '../volumes/volume-store.js';
import { findPostgres } from './postgres-binaries.js';
import { createPostgresEngine } from './postgres-engine.js';
import { provisionSqlite, SQLITE_VERSION } from './sqlite-engine.js';

export interface DatabaseEnginesOptions {
  volumes: VolumeStore;
  logger: Logger;
}

export function createDatabaseEngines(options: DatabaseEnginesOptions): DatabaseEngines {
  const postgres = createPostgresEngine({ install: findPostgres(), volumes: options.volumes, logger: options.logger });
  const versions: Record<DatabaseEngine, readonly string[]> = { SQLITE: [SQLITE_VERSION], POSTGRES: postgres.versions(), REDIS: [] };
  return {
    versions: (engine) => versions[engine],
    async provision(database) {
      switch (database.engine) {
        case 'SQLITE':
          return provisionSqlite(options.volumes, database);
        case 'POSTGRES':
          return postgres.provision(database);
        case 'REDIS':
          throw new Error('REDIS is not available on this machine');
      }
    },
    async destroy(database) {
      if (database.engine === 'POSTGRES') return postgres.destroy(database);
      await options.volumes.remove(database.id);
    },
    async query(database, input) {
      if (database.engine !== 'POSTGRES') throw new DomainError('invalid', `query is available for POSTGRES databases only, not ${database.engine}`);
      return postgres.query(database, input);
    },
    async close() {
      await postgres.close();
    },
  };
}
