// Opens the store Berth runs on: SQLite (WAL) in the data dir by default, PostgreSQL when
// DATABASE_URL says so. Migrations run before anything else touches it.
import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import type { SqliteDatabase as KyselySqliteDatabase, SqliteStatement } from 'kysely';
import pg from 'pg';
import { migrations } from './migrations/index.js';
import type { Database } from './schema.js';

export type StoreBackend = 'sqlite' | 'postgres';

export interface OpenStoreOptions {
  /** postgres://… or null for SQLite. */
  databaseUrl: string | null;
  /** Where berth.db lives for SQLite; `:memory:` allowed for tests. */
  sqlitePath: string;
}

export interface OpenedStore {
  db: Kysely<Database>;
  backend: StoreBackend;
  close(): Promise<void>;
}

// PostgreSQL returns COUNT(*) and BIGINT as strings; Berth's counts fit in a JS number.
pg.types.setTypeParser(20, (value: string) => Number(value));

export async function openStore(options: OpenStoreOptions): Promise<OpenedStore> {
  const opened = options.databaseUrl ? openPostgres(options.databaseUrl) : openSqlite(options.sqlitePath);
  const migrator = new Migrator({
    db: opened.db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'berth_migrations',
    migrationLockTableName: 'berth_migrations_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    await opened.close();
    const failed = results?.find((result) => result.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`store migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return opened;
}

function openSqlite(file: string): OpenedStore {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const database = new SqliteDatabase(file);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: keepingStatements(database) }) });
  return { db, backend: 'sqlite', close: () => db.destroy() };
}

/** How many prepared SQLite statements are kept; Berth's queries are a few hundred distinct texts. */
const keptStatements = 500;

/**
 * Kysely prepares every query it runs, and SQLite parses and plans a statement on each prepare;
 * keeping the prepared statements of repeated query texts (least recently used dropped first)
 * saves that work. Safe because Kysely runs one statement at a time on its single connection.
 */
function keepingStatements(database: SqliteDatabase.Database): KyselySqliteDatabase {
  const statements = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => database.close(),
    prepare(sql) {
      const kept = statements.get(sql);
      statements.delete(sql);
      const statement = kept ?? database.prepare(sql);
      statements.set(sql, statement);
      if (statements.size > keptStatements) statements.delete(statements.keys().next().value ?? sql);
      return sql === 'rollback' ? rollbackIfStillOpen(database, statement) : statement;
    },
  };
}

/**
 * SQLite rolls a transaction back by itself when a statement in it fails with SQLITE_FULL (and a
 * few other errors); Kysely then sends ROLLBACK, whose "no transaction is active" error would be
 * thrown instead of the one that says why. That ROLLBACK is skipped when nothing is open.
 */
function rollbackIfStillOpen(database: SqliteDatabase.Database, statement: SqliteDatabase.Statement): SqliteStatement {
  return {
    reader: false,
    all: (parameters) => statement.all(parameters),
    iterate: (parameters) => statement.iterate(parameters),
    run: (parameters) => (database.inTransaction ? statement.run(parameters) : { changes: 0, lastInsertRowid: 0 }),
  };
}

function openPostgres(connectionString: string): OpenedStore {
  const pool = new pg.Pool({ connectionString, max: 10 });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, backend: 'postgres', close: () => db.destroy() };
}
