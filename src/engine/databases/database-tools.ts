// The programs the database helpers run (sqlite3 for SQLITE backups, pg_dump and pg_restore,
// redis-server), found as host tools are: the operator's path when set (BERTH_SQLITE3_BIN, …),
// else the first on PATH or in the usual places. A missing one is a clear answer to the user
// (conflict: which program, and the variable to set), never an internal error.
import { DomainError } from '../../domain/errors.js';
import { findExecutable, isExecutableFile } from '../runtime/host/find-executable.js';

export type DatabaseToolName = 'sqlite3' | 'pg_dump' | 'pg_restore' | 'redis-server';

/** The operator's path for each program (null: search), and the directories searched (PATH's, then the usual ones). */
export interface DatabaseToolSettings {
  sqlite3: string | null;
  pgDump: string | null;
  pgRestore: string | null;
  redisServer: string | null;
  /** The directory of PostgreSQL's `postgres` and `initdb` (postgres-binaries.ts); null: the machine's versions. */
  postgresBinDir: string | null;
  searchDirs: readonly string[];
}

/** Each program's setting, and the variable that sets it (config.ts reads them; README lists them). */
const programs: Readonly<Record<DatabaseToolName, { setting: Exclude<keyof DatabaseToolSettings, 'searchDirs' | 'postgresBinDir'>; variable: string }>> = {
  sqlite3: { setting: 'sqlite3', variable: 'BERTH_SQLITE3_BIN' },
  pg_dump: { setting: 'pgDump', variable: 'BERTH_PG_DUMP_BIN' },
  pg_restore: { setting: 'pgRestore', variable: 'BERTH_PG_RESTORE_BIN' },
  'redis-server': { setting: 'redisServer', variable: 'BERTH_REDIS_SERVER_BIN' },
};

export type ToolLookup = { path: string; missing: null } | { path: null; missing: string };

/**
 * Where `name` is. `preferDirs` are searched first (a PostgreSQL version's own bin directory: its
 * pg_dump must not be older than its server).
 */
export function findDatabaseTool(name: DatabaseToolName, settings: DatabaseToolSettings, preferDirs: readonly string[] = []): ToolLookup {
  const { setting, variable } = programs[name];
  const set = settings[setting];
  if (set !== null) {
    return isExecutableFile(set) ? { path: set, missing: null } : { path: null, missing: `${name} is not an executable file at ${set} (${variable}): point ${variable} at the ${name} program` };
  }
  const found = findExecutable(name, [...preferDirs, ...settings.searchDirs]);
  if (found) return { path: found, missing: null };
  return { path: null, missing: `${name} was not found on PATH or in the usual directories: install it, or set ${variable} to its path` };
}

/** The program's path, or a conflict naming what is missing and how to say where it is. */
export function requireDatabaseTool(name: DatabaseToolName, settings: DatabaseToolSettings, preferDirs: readonly string[] = []): string {
  const lookup = findDatabaseTool(name, settings, preferDirs);
  if (lookup.path === null) throw new DomainError('conflict', lookup.missing);
  return lookup.path;
}
