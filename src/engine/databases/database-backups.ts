// Backups of managed databases in `{dataDir}/backups/<database>/<backup>/`: a pg_dump (POSTGRES),
// a copy of the append-only file (REDIS), an online copy by sqlite3's .backup (SQLITE). One
// backup, restore or removal at a time per database, and none with its deletion (`turns`, shared
// with destroy): two restores of a REDIS database at once each set the other's live files aside (and
// a backup meanwhile copied a half-restored one); a restore under a deletion restarted its server
// on a volume it re-created. A backup or restore whose turn comes after the deletion (its volume
// gone: no record of deleted ids is needed) does nothing.
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DatabaseBackup, DatabaseBackups } from '../../core/ports/databases.js';
import type { ManagedDatabase } from '../../domain/database.js';
import { runCommand } from '../spawn.js';
import type { VolumeStore } from '../volumes/volume-store.js';
import { checkVolumeId } from '../volumes/volume-names.js';
import { requireDatabaseTool, type DatabaseToolSettings } from './database-tools.js';
import type { PostgresEngine } from './postgres-engine.js';
import type { RedisEngine } from './redis-engine.js';
import type { KeyedLock } from '../keyed-lock.js';
import { notFound } from '../../domain/errors.js';
import { SERVER_ENV } from './supervised-server.js';
import { BACKUP_FAILED, RESTORE_FAILED, toolFailed } from './tool-failure.js';

const BACKUP_ID = /^bkp_(\d{13})$/;
/** A backup is written under this prefix and renamed to its id when whole, so a partial one is never listed. */
const PARTIAL = '.partial-';

async function sizeOf(path: string): Promise<number> {
  const info = await stat(path);
  if (!info.isDirectory()) return info.size;
  let total = 0;
  for (const entry of await readdir(path)) total += await sizeOf(join(path, entry));
  return total;
}

async function sqlite(input: { tools: DatabaseToolSettings; dataDirs: readonly string[] }, action: string, file: string, command: string): Promise<void> {
  const result = await runCommand([requireDatabaseTool('sqlite3', input.tools), file, command], { env: SERVER_ENV, timeoutMs: 30 * 60_000 });
  if (result.exitCode !== 0) throw toolFailed({ action, tool: 'sqlite3', result, dataDirs: input.dataDirs });
}

/** Removes the partial backups a stopped Berth left behind (none is being taken: Berth is starting). */
export async function removePartialBackups(rootDir: string): Promise<void> {
  if (!existsSync(rootDir)) return;
  for (const database of await readdir(rootDir)) {
    const dir = join(rootDir, database);
    if (!(await stat(dir)).isDirectory()) continue;
    for (const entry of await readdir(dir)) if (entry.startsWith(PARTIAL)) await rm(join(dir, entry), { recursive: true, force: true });
  }
}

export interface DatabaseBackupsOptions {
  rootDir: string;
  volumes: VolumeStore;
  postgres: PostgresEngine;
  redis: RedisEngine;
  tools: DatabaseToolSettings;
  dataDirs: readonly string[];
  /** One operation at a time per database id, deletion included (which removes its volume). */
  turns: KeyedLock;
}

export function createDatabaseBackups(options: DatabaseBackupsOptions): DatabaseBackups {
  const dirOf = (databaseId: string) => join(options.rootDir, checkVolumeId(databaseId));
  const sqliteFile = async (database: ManagedDatabase) => join(await options.volumes.ensure(database.id, database.resources.storageGb * 1024), 'db.sqlite');
  const oneAtATime = options.turns;
  /** `operation` in the database's turn, unless it was deleted (its volume removed) before its turn came. */
  const whileItExists = <T>(databaseId: string, operation: () => Promise<T>) =>
    oneAtATime.run(databaseId, () => (options.volumes.exists(databaseId) ? operation() : notFound('Database')));

  async function list(databaseId: string): Promise<DatabaseBackup[]> {
    const dir = dirOf(databaseId);
    if (!existsSync(dir)) return [];
    const backups: DatabaseBackup[] = [];
    for (const id of await readdir(dir)) {
      const at = BACKUP_ID.exec(id)?.[1];
      if (at) backups.push({ id, createdAt: new Date(Number(at)), sizeBytes: await sizeOf(join(dir, id)) });
    }
    return backups.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  }

  /** The backup's files, written into `dir`. */
  async function write(database: ManagedDatabase, dir: string): Promise<void> {
    switch (database.engine) {
      case 'POSTGRES':
        return options.postgres.dump(database, join(dir, 'dump.pgc'));
      case 'REDIS':
        return options.redis.snapshot(database, dir);
      case 'SQLITE': {
        const file = await sqliteFile(database);
        // No app has written it yet: the backup is of an empty database, and restoring it empties one.
        if (existsSync(file)) await sqlite(options, BACKUP_FAILED, file, `.backup '${join(dir, 'db.sqlite')}'`);
        else await writeFile(join(dir, 'db.sqlite'), '', { mode: 0o600 });
        return;
      }
    }
  }

  return {
    list,
    take: (database) => whileItExists(database.id, () => take(database)),
    restore: (database, backupId) => whileItExists(database.id, () => restore(database, backupId)),
    prune: (databaseId, keep) =>
      oneAtATime.run(databaseId, async () => {
        for (const old of (await list(databaseId)).slice(keep)) await rm(join(dirOf(databaseId), old.id), { recursive: true, force: true });
      }),
    removeAll: (databaseId) => oneAtATime.run(databaseId, () => rm(dirOf(databaseId), { recursive: true, force: true })),
  };

  async function take(database: ManagedDatabase): Promise<DatabaseBackup> {
    let at = Date.now();
    const taken = (stamp: number) => [`bkp_${stamp}`, `${PARTIAL}bkp_${stamp}`].some((name) => existsSync(join(dirOf(database.id), name)));
    while (taken(at)) at += 1;
    const id = `bkp_${at}`;
    const partial = join(dirOf(database.id), `${PARTIAL}${id}`);
    await mkdir(partial, { recursive: true, mode: 0o700 });
    try {
      await write(database, partial);
      await rename(partial, join(dirOf(database.id), id));
    } catch (error) {
      await rm(partial, { recursive: true, force: true });
      throw error;
    }
    return { id, createdAt: new Date(at), sizeBytes: await sizeOf(join(dirOf(database.id), id)) };
  }

  async function restore(database: ManagedDatabase, backupId: string): Promise<boolean> {
    if (!BACKUP_ID.test(backupId)) return false;
    const dir = join(dirOf(database.id), backupId);
    if (!existsSync(dir)) return false;
    switch (database.engine) {
      case 'POSTGRES':
        await options.postgres.restoreDump(database, join(dir, 'dump.pgc'));
        break;
      case 'REDIS':
        await options.redis.restoreSnapshot(database, dir);
        break;
      case 'SQLITE':
        await restoreSqlite(database, join(dir, 'db.sqlite'));
        break;
    }
    return true;
  }

  /** `.restore` of the backup's file; an empty or missing one (an empty database's backup) empties the database. */
  async function restoreSqlite(database: ManagedDatabase, source: string): Promise<void> {
    const file = await sqliteFile(database);
    const empty = !existsSync(source) || (await stat(source)).size === 0;
    if (empty && !existsSync(file)) return;
    // Backups taken before an empty database's backup got an empty file have none: it is written now.
    if (!existsSync(source)) await writeFile(source, '', { mode: 0o600 });
    await sqlite(options, RESTORE_FAILED, file, `.restore '${source}'`);
  }
}
