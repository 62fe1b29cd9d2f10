// The database engines of this machine behind the core's one port: each engine provisions,
// destroys and (POSTGRES) queries its own kind; an engine the machine cannot run offers no version.
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import type { DatabaseEngines } from '../../core/ports/databases.js';
import type { Logger } from '../../core/ports/logger.js';
import type { DatabaseEngine } from '../../domain/database.js';
import { DomainError } from '../../domain/errors.js';
import type { VolumeStore } from '../volumes/volume-store.js';
import { createKeyedLock } from '../keyed-lock.js';
import { removeCgroupRoot, type CgroupLocation } from '../runtime/host/cgroup-v1.js';
import { resolveHostTools } from '../runtime/host/host-tools.js';
import { locatePostgres } from './postgres-binaries.js';
import { createPostgresEngine } from './postgres-engine.js';
import { createRedisEngine } from './redis-engine.js';
import { defaultRestartPolicy, type RestartPolicy } from './restart-policy.js';
import { createDatabaseBackups, removePartialBackups } from './database-backups.js';
import type { DatabaseToolSettings } from './database-tools.js';
import type { ServerTools } from './supervised-server.js';
import { maskPaths } from './tool-failure.js';
import { provisionSqlite, SQLITE_VERSION } from './sqlite-engine.js';

export interface DatabaseEnginesOptions {
  /** Berth's data dir: what the database programs say is answered with it shown as `<data>`. */
  dataDir: string;
  volumes: VolumeStore;
  logger: Logger;
  /** Where backups are kept. */
  backupsDir: string;
  /** Where database servers' cgroups go (a root of their own); null: no cgroups. */
  cgroups: CgroupLocation | null;
  /** Paths of the helper programs servers launch through, over the defaults (as the process runtime's `tools`). */
  tools?: Partial<ServerTools>;
  /** Where sqlite3, pg_dump, pg_restore and redis-server are (database-tools.ts). */
  programs: DatabaseToolSettings;
  /** The first wait before restarting a server that exited (restart-policy.ts); default 1 s. */
  restartDelayMs?: number;
}

/** The data dir as configured, absolute, and with its links resolved: a program may print any of them. */
function namesOf(dataDir: string): string[] {
  const names = new Set([dataDir, resolve(dataDir)]);
  try {
    names.add(realpathSync(dataDir));
  } catch {
    // Not there yet: no program has printed a resolved name of it either.
  }
  return [...names];
}

export async function createDatabaseEngines(options: DatabaseEnginesOptions): Promise<DatabaseEngines> {
  const tools = resolveHostTools(options.tools);
  const { programs } = options;
  const install = await locatePostgres(programs.postgresBinDir);
  const dataDirs = namesOf(options.dataDir);
  const gaveUpListeners: ((databaseId: string, reason: string) => void)[] = [];
  const onGaveUp = (databaseId: string, reason: string) => {
    for (const listener of gaveUpListeners) listener(databaseId, reason);
  };
  const restartPolicy: RestartPolicy = { ...defaultRestartPolicy, firstDelayMs: options.restartDelayMs ?? defaultRestartPolicy.firstDelayMs };
  const postgres = createPostgresEngine({ install, volumes: options.volumes, logger: options.logger, cgroups: options.cgroups, tools, programs, dataDirs, restartPolicy, onGaveUp });
  const redis = await createRedisEngine({ volumes: options.volumes, logger: options.logger, cgroups: options.cgroups, tools, programs, dataDirs, restartPolicy, onGaveUp });
  const versions: Record<DatabaseEngine, readonly string[]> = { SQLITE: [SQLITE_VERSION], POSTGRES: postgres.versions(), REDIS: redis.versions() };
  await removePartialBackups(options.backupsDir);
  // A database's backups, restores and deletion take turns; once deleted, a queued backup or restore does nothing.
  const turns = createKeyedLock();
  const backups = createDatabaseBackups({ rootDir: options.backupsDir, volumes: options.volumes, postgres, redis, tools: programs, dataDirs, turns });
  return {
    backups,
    versions: (engine) => versions[engine],
    missing: (engine) => {
      if (versions[engine].length > 0) return null;
      return engine === 'REDIS' ? redis.missing() : engine === 'POSTGRES' ? install.missing : null;
    },
    async provision(database) {
      try {
        switch (database.engine) {
          case 'SQLITE':
            return await provisionSqlite(options.volumes, database);
          case 'POSTGRES':
            return await postgres.provision(database);
          case 'REDIS':
            return await redis.provision(database);
        }
      } catch (error) {
        // Why it failed becomes the database's statusMessage, which the API shows.
        if (error instanceof DomainError || !(error instanceof Error)) throw error;
        throw new Error(maskPaths(error.message, dataDirs), { cause: error });
      }
    },
    destroy: (database) =>
      turns.run(database.id, async () => {
        if (database.engine === 'POSTGRES') return postgres.destroy(database);
        if (database.engine === 'REDIS') return redis.destroy(database);
        await options.volumes.remove(database.id);
      }),
    // In the database's turn: never in the middle of a restore that stops and starts its server.
    stopServer: (database) =>
      turns.run(database.id, async () => {
        if (database.engine === 'POSTGRES') await postgres.stopServer(database);
        if (database.engine === 'REDIS') await redis.stopServer(database);
      }),
    serverState(database) {
      switch (database.engine) {
        case 'SQLITE':
          return { kind: 'serving' };
        case 'POSTGRES':
          return postgres.serverState(database);
        case 'REDIS':
          return redis.serverState(database);
      }
    },
    onServerGaveUp: (listener) => void gaveUpListeners.push(listener),
    async query(database, input) {
      if (database.engine !== 'POSTGRES') throw new DomainError('invalid', `query is available for POSTGRES databases only, not ${database.engine}`);
      return postgres.query(database, input);
    },
    async close() {
      await Promise.all([postgres.close(), redis.close()]);
      if (options.cgroups) await removeCgroupRoot(options.cgroups).catch(() => undefined);
    },
  };
}
