// Wire shapes of managed databases (client-contract.md, "Managed databases").
import { Type } from '@sinclair/typebox';
import { limits } from '../../../domain/app.js';
import { databaseEngines, databaseLimits } from '../../../domain/database.js';
import { databaseAuditPage } from '../../../core/databases/database-audit.js';
import { databaseStatusWords, wordsOf } from '../../dialect-words.js';
import { Nullable, Timestamp } from './common.js';

const Engine = Type.Union(databaseEngines.map((e) => Type.Literal(e)));
const Status = Type.Union(wordsOf(databaseStatusWords.dooor).map((s) => Type.Literal(s)));

export const CreateDatabaseBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: limits.nameLength.max }),
  slug: Type.String({
    minLength: limits.slugLength.min,
    maxLength: limits.slugLength.max,
    pattern: '^[a-z0-9]([a-z0-9-]*[a-z0-9])?$',
    'x-pattern-message': 'must contain only lowercase letters, digits and hyphens, and start and end with a letter or digit',
  }),
  engine: Engine,
  version: Type.Optional(Type.String({ minLength: 1, maxLength: 20, description: 'Default: the newest the machine runs' })),
  cpu: Type.Optional(
    Type.String({ maxLength: 12, pattern: '^([0-9]+m|[0-9]+(\\.[0-9]+)?)$', 'x-pattern-message': 'must be a cpu quantity like "250m" or "1"', description: 'Default: 500m' }),
  ),
  memory: Type.Optional(
    Type.String({ maxLength: 12, pattern: '^[0-9]+(Mi|Gi|M|G)$', 'x-pattern-message': 'must be a memory quantity like "512Mi" or "1Gi"', description: 'Default: 512Mi' }),
  ),
  storageGb: Type.Optional(
    Type.Integer({ minimum: databaseLimits.storageGb.min, maximum: databaseLimits.storageGb.max, description: 'Default: 10 for POSTGRES and REDIS, 1 for SQLITE' }),
  ),
  storageClass: Type.Optional(Type.String({ maxLength: 100 })),
  highAvailability: Type.Optional(Type.Boolean({ description: 'POSTGRES only' })),
  projectId: Type.Optional(Type.String({ maxLength: 200 })),
});

export const DatabaseListQuery = Type.Object({
  engine: Type.Optional(Engine),
  status: Type.Optional(Status),
  search: Type.Optional(Type.String({ maxLength: 200 })),
});

export const DatabaseParams = Type.Object({ wsId: Type.String({ maxLength: 200 }), dbId: Type.String({ maxLength: 200, description: 'Database id or slug' }) });
export const AttachmentParams = Type.Object({ wsId: Type.String({ maxLength: 200 }), dbId: Type.String({ maxLength: 200 }), appId: Type.String({ maxLength: 200 }) });

export const DatabaseView = Type.Object({
  id: Type.String(),
  workspaceId: Type.String(),
  projectId: Nullable(Type.String()),
  name: Type.String(),
  slug: Type.String(),
  engine: Engine,
  version: Type.String(),
  status: Status,
  statusMessage: Nullable(Type.String({ description: 'Why it FAILED: provisioning, or a server that stopped and did not start again' })),
  resources: Type.Object({
    cpu: Type.String(),
    memory: Type.String(),
    storageGb: Type.Integer(),
    storageClass: Nullable(Type.String()),
    highAvailability: Type.Boolean(),
  }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const DatabaseStatusView = Type.Object({
  id: Type.String(),
  status: Status,
  phase: Type.String({ description: 'Pending | Running | Failed' }),
  readyInstances: Type.Integer(),
  desiredInstances: Type.Integer(),
  message: Nullable(Type.String({ description: 'What is happening to it, when it is not ready, in a sentence (the fields below give the facts of a restart for programs)' })),
  restartAttempt: Nullable(
    Type.Integer({ description: 'Berth addition. While Berth restarts the server after it exited: the start in a row it is making, or will make at nextRestartAt (1 after a server that served exited); null otherwise' }),
  ),
  maxRestartAttempts: Nullable(Type.Integer({ description: 'Berth addition. While Berth restarts the server: the failed starts in a row after which it gives up (the database then becomes FAILED); null otherwise' })),
  nextRestartAt: Nullable(Type.String({ format: 'date-time', description: 'Berth addition. While Berth restarts the server: when the next start is due; null while that start is under way, and when no restart is' })),
  lastExit: Nullable(Type.String({ description: "Berth addition. While Berth restarts the server: why it last exited, in the server's own words where it gave them; null otherwise" })),
});

export const ConnectionView = Type.Object({
  uri: Type.String(),
  username: Type.String(),
  password: Type.String(),
  host: Type.String(),
  port: Type.Integer(),
  database: Type.String(),
});

export const AttachBody = Type.Object({
  appId: Type.String({ minLength: 1, maxLength: 200, description: 'App id or slug' }),
  mountPath: Type.Optional(Type.String({ minLength: 1, maxLength: 500, description: 'SQLITE only. Default: /var/lib/dooor/sqlite' })),
});

export const AttachmentView = Type.Object({
  databaseId: Type.String(),
  appId: Type.String(),
  name: Type.String(),
  slug: Type.String(),
  engine: Engine,
  status: Status,
  mountPath: Nullable(Type.String()),
  secretName: Type.String({ description: 'The secret env var the connection string is injected from' }),
  createdAt: Timestamp,
});

export const QueryBody = Type.Object({
  sql: Type.String({ minLength: 1, maxLength: 100_000 }),
  maxRows: Type.Optional(Type.Integer({ minimum: databaseLimits.maxRows.min, maximum: databaseLimits.maxRows.max })),
});

export const QueryView = Type.Object({
  columns: Type.Array(Type.Object({ name: Type.String(), dataType: Type.String() })),
  rows: Type.Array(Type.Record(Type.String(), Type.Unknown())),
  rowCount: Type.Integer(),
  truncated: Type.Boolean({ description: 'More rows matched than were returned' }),
  durationMs: Type.Integer(),
});

export const BackupParams = Type.Object({ wsId: Type.String({ maxLength: 200 }), dbId: Type.String({ maxLength: 200 }), backupId: Type.String({ maxLength: 100 }) });

export const BackupView = Type.Object({
  id: Type.String(),
  databaseId: Type.String(),
  createdAt: Timestamp,
  sizeBytes: Type.Integer(),
});

export const DatabaseAuditQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: databaseAuditPage.maxLimit, default: databaseAuditPage.defaultLimit })),
  before: Type.Optional(Type.String({ maxLength: 100, description: "An entry's id: only older entries (pass the last id of a page for the next)" })),
});

export const DatabaseAuditEntryView = Type.Object({
  id: Type.String(),
  action: Type.String({ description: 'database.create, database.attach, database.detach, database.query, database.backup, database.restore, database.fail (Berth stopped restarting its server), database.restart' }),
  actor: Nullable(Type.Object({ keyId: Type.String(), name: Nullable(Type.String({ description: "The key's name; null once it is deleted" })) }, { description: 'The API key that acted; null: Berth itself' })),
  detail: Nullable(Type.Record(Type.String(), Type.Unknown(), { description: 'What was done: the SQL (null without databases:query) and row count of a query, the backup, the error of a failed attempt, the reason a server was given up on' })),
  createdAt: Timestamp,
});
