// Managed databases on the wire; the password appears in the connection answer only.
import type { AppDatabase } from '../../../core/databases/attach-database.js';
import type { DatabaseRuntimeStatus } from '../../../core/databases/manage-databases.js';
import type { DatabaseBackup, QueryResult } from '../../../core/ports/databases.js';
import { connectionUri, formatCpu, formatMemory, type DatabaseConnection, type ManagedDatabase } from '../../../domain/database.js';
import type { AuditEntry } from '../../../domain/audit.js';
import { databaseStatusWords } from '../../dialect-words.js';

export function presentDatabase(database: ManagedDatabase) {
  return {
    id: database.id,
    workspaceId: database.workspaceId,
    projectId: database.projectId,
    name: database.name,
    slug: database.slug,
    engine: database.engine,
    version: database.version,
    status: databaseStatusWords.dooor[database.status],
    statusMessage: database.statusMessage,
    resources: {
      cpu: formatCpu(database.resources.cpuMillicores),
      memory: formatMemory(database.resources.memoryMi),
      storageGb: database.resources.storageGb,
      storageClass: database.resources.storageClass,
      highAvailability: database.resources.highAvailability,
    },
    createdAt: database.createdAt.toISOString(),
    updatedAt: database.updatedAt.toISOString(),
  };
}

const phases = { provisioning: 'Pending', running: 'Running', failed: 'Failed' } as const;

export function presentDatabaseStatus(status: DatabaseRuntimeStatus) {
  return {
    id: status.database.id,
    status: databaseStatusWords.dooor[status.database.status],
    phase: phases[status.database.status],
    readyInstances: status.readyInstances,
    desiredInstances: status.desiredInstances,
    message: status.message,
    restartAttempt: status.restart?.attempt ?? null,
    maxRestartAttempts: status.restart?.maxAttempts ?? null,
    nextRestartAt: status.restart?.nextTryAt?.toISOString() ?? null,
    lastExit: status.restart?.lastExit ?? null,
  };
}

export function presentConnection(database: ManagedDatabase & { connection: DatabaseConnection }) {
  const c = database.connection;
  return { uri: connectionUri(database.engine, c, null), username: c.username, password: c.password, host: c.host, port: c.port, database: c.database };
}

export function presentAttachment({ attachment, database }: AppDatabase) {
  return {
    databaseId: database.id,
    appId: attachment.appId,
    name: database.name,
    slug: database.slug,
    engine: database.engine,
    status: databaseStatusWords.dooor[database.status],
    mountPath: attachment.mountPath,
    secretName: attachment.envKey,
    createdAt: attachment.createdAt.toISOString(),
  };
}

export function presentQuery(result: QueryResult & { durationMs: number }) {
  return { columns: result.columns, rows: result.rows, rowCount: result.rowCount, truncated: result.truncated, durationMs: Math.round(result.durationMs) };
}

export function presentBackup(databaseId: string, backup: DatabaseBackup) {
  return { id: backup.id, databaseId, createdAt: backup.createdAt.toISOString(), sizeBytes: backup.sizeBytes };
}

export function presentDatabaseAuditEntry(entry: AuditEntry & { actorName: string | null }) {
  return {
    id: entry.id,
    action: entry.action,
    actor: entry.actorKeyId === null ? null : { keyId: entry.actorKeyId, name: entry.actorName },
    detail: entry.detail,
    createdAt: entry.createdAt.toISOString(),
  };
}
