// What the core needs for managed databases: their records (store/) and the engines that run
// them (engine/databases/). Engines speak of databases, never of pids or host paths.
import type { AppVolume } from '../../domain/volume.js';
import type { DatabaseAttachment, DatabaseConnection, DatabaseEngine, DatabaseStatus, ManagedDatabase } from '../../domain/database.js';

export interface DatabaseListQuery {
  workspaceId: string;
  engine?: DatabaseEngine | undefined;
  status?: DatabaseStatus | undefined;
  search?: string | undefined;
}

export interface DatabaseRepository {
  /** Throws DomainError('conflict') when the slug is taken in the workspace. */
  create(database: ManagedDatabase): Promise<void>;
  /** By id or slug within the workspace. */
  find(workspaceId: string, idOrSlug: string): Promise<ManagedDatabase | null>;
  byId(id: string): Promise<ManagedDatabase | null>;
  list(query: DatabaseListQuery): Promise<ManagedDatabase[]>;
  /** Every database of every workspace (the engines bring them back after a restart). */
  listAll(): Promise<ManagedDatabase[]>;
  setStatus(id: string, status: DatabaseStatus, message: string | null, at: Date): Promise<void>;
  setConnection(id: string, connection: DatabaseConnection, at: Date): Promise<void>;
  /** Removes the record and its attachments. */
  delete(id: string): Promise<void>;
  attach(attachment: DatabaseAttachment): Promise<void>;
  /** False when the app was not attached. */
  detach(databaseId: string, appId: string): Promise<boolean>;
  attachmentsOfDatabase(databaseId: string): Promise<DatabaseAttachment[]>;
  attachmentsOfApp(appId: string): Promise<DatabaseAttachment[]>;
}

/** What provisioning a database gives: where it is reached. */
export interface ProvisionResult {
  connection: DatabaseConnection;
}

export interface DatabaseEngines {
  /** Versions the machine can run now, per engine (a request for another is refused). */
  versions(engine: DatabaseEngine): readonly string[];
  /** Why the machine offers no version of `engine` when a program it needs is missing (and how to point Berth at it); else null. */
  missing(engine: DatabaseEngine): string | null;
  /** Creates (or, after a restart, starts again) the database's server and storage. */
  provision(database: ManagedDatabase): Promise<ProvisionResult>;
  /** Stops its server and removes every byte of its data. */
  destroy(database: ManagedDatabase): Promise<void>;
  /** Stops its server, if one runs or is being restarted; its data stays, and `provision` starts it again. */
  stopServer(database: ManagedDatabase): Promise<void>;
  /** Runs read-only SQL (POSTGRES); the engine enforces read-only by construction. */
  query(database: ManagedDatabase, input: { sql: string; maxRows: number; timeoutMs: number }): Promise<QueryResult>;
  /** Stops every server it started (Berth shutting down); data stays. */
  close(): Promise<void>;
  /** What Berth is doing with the database's server now (SQLITE has none: always `serving`). */
  serverState(database: ManagedDatabase): DatabaseServerState;
  /**
   * Tells `listener` when Berth gives up restarting a server that had served (it failed to start
   * too many times in a row), with why in the server's own words. Its data is left as it was.
   */
  onServerGaveUp(listener: (databaseId: string, reason: string) => void): void;
  backups: DatabaseBackups;
}

/** What Berth is doing with a database's server, as the status endpoint tells it. */
export type DatabaseServerState =
  | { kind: 'serving' }
  /** Berth is starting it (provisioning, after Berth's own restart, or for a request that needs it). */
  | { kind: 'starting' }
  /**
   * It exited (`lastExit`: why) and Berth restarts it: start `attempt` in a row of at most
   * `maxAttempts`, due at `nextTryAt` (null: under way now).
   */
  | { kind: 'restarting'; attempt: number; maxAttempts: number; nextTryAt: Date | null; lastExit: string }
  /** Berth stopped restarting it (`reason`: its last exit's). */
  | { kind: 'given-up'; reason: string }
  /** A restore failed and left it stopped (a request that needs it starts it again). */
  | { kind: 'down-after-failed-restore' }
  /** None runs and none is starting. */
  | { kind: 'stopped' };

export interface QueryResult {
  columns: { name: string; dataType: string }[];
  rows: Record<string, unknown>[];
  rowCount: number;
  truncated: boolean;
}

export interface VolumeRepository {
  /** Throws DomainError('conflict') when the app has a volume of that name. */
  create(volume: AppVolume): Promise<void>;
  list(appId: string): Promise<AppVolume[]>;
}

/** The bytes of persistent volumes, wherever the runtime keeps them. */
export interface VolumeKeeper {
  /** Every byte of the volume, gone. */
  remove(volumeId: string): Promise<void>;
}

/** One backup of a database, kept in Berth's data dir. */
export interface DatabaseBackup {
  id: string;
  createdAt: Date;
  sizeBytes: number;
}

/** Backups of every engine: a dump (POSTGRES), the append-only file (REDIS), a copy (SQLITE). */
export interface DatabaseBackups {
  take(database: ManagedDatabase): Promise<DatabaseBackup>;
  /** Newest first. */
  list(databaseId: string): Promise<DatabaseBackup[]>;
  /** Puts the database back as the backup holds it; false when there is no such backup. */
  restore(database: ManagedDatabase, backupId: string): Promise<boolean>;
  /** Removes all but the newest `keep`. */
  prune(databaseId: string, keep: number): Promise<void>;
  /** Every backup of the database (it is being deleted). */
  removeAll(databaseId: string): Promise<void>;
}
