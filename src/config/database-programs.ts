// Where the database helpers' programs are: an operator's path per program (BERTH_SQLITE3_BIN, …)
// or PostgreSQL's bin directory (BERTH_POSTGRES_BIN_DIR),
// else searched for on PATH, then in the usual directories (engine/databases/database-tools.ts).
import path from 'node:path';
import { ConfigError, text, type Env } from './env-values.js';

export interface DatabaseProgramsConfig {
  /** BERTH_SQLITE3_BIN: sqlite3 (SQLITE backups and restores); null: search. */
  sqlite3: string | null;
  /** BERTH_PG_DUMP_BIN / BERTH_PG_RESTORE_BIN: PostgreSQL backups and restores; null: the version's own, else search. */
  pgDump: string | null;
  pgRestore: string | null;
  /** BERTH_POSTGRES_BIN_DIR: the directory of `postgres` and `initdb` (the one version POSTGRES offers); null: /usr/lib/postgresql/<major>/bin. */
  postgresBinDir: string | null;
  /** BERTH_REDIS_SERVER_BIN: the REDIS engine's server; null: search. */
  redisServer: string | null;
  /** Where programs are searched for: PATH's directories, then the usual ones. */
  searchDirs: readonly string[];
}

/** Where programs usually are when PATH does not say (Berth may start with a bare environment). */
const usualBinDirs = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

function absolute(env: Env, name: string, what = 'the program'): string | null {
  const raw = text(env, name);
  if (raw === null) return null;
  if (!path.isAbsolute(raw)) throw new ConfigError(name, `must be an absolute path to ${what}, got "${raw}"`);
  return path.normalize(raw);
}

export function databasePrograms(env: Env): DatabaseProgramsConfig {
  return Object.freeze({
    sqlite3: absolute(env, 'BERTH_SQLITE3_BIN'),
    pgDump: absolute(env, 'BERTH_PG_DUMP_BIN'),
    pgRestore: absolute(env, 'BERTH_PG_RESTORE_BIN'),
    postgresBinDir: absolute(env, 'BERTH_POSTGRES_BIN_DIR', 'a directory'),
    redisServer: absolute(env, 'BERTH_REDIS_SERVER_BIN'),
    searchDirs: Object.freeze([...new Set([...(env.PATH ?? '').split(':').filter((dir) => path.isAbsolute(dir)), ...usualBinDirs])]),
  });
}
