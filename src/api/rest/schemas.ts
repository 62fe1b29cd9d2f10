// Wire shapes of the REST dialect (spec 003): camelCase, `{ data, pageInfo }` lists,
// `{ success: true }` for deletes, NestJS errors. They validate requests and feed this dialect's
// part of the OpenAPI document (tag `REST`).
import { Type } from '@sinclair/typebox';
import type { TSchema } from '@sinclair/typebox';
import { limits } from '../../domain/app.js';
import { envValueMaxBytes } from '../../domain/env-var.js';
import { maxPageSize } from '../../core/apps/manage-apps.js';
import { errorResponses } from '../dooor/schemas/common.js';

export const tags = ['REST'];
export const errors = { ...errorResponses, 409: errorResponses[400] };

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Timestamp = Type.String({ format: 'date-time' });

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) });
export const Success = Type.Object({ success: Type.Boolean() });

const EnvMap = Type.Record(Type.String({ minLength: 1, maxLength: 255 }), Type.String({ maxLength: envValueMaxBytes }), { maxProperties: 500 });

export const AppView = Type.Object({
  id: Type.String(),
  workspaceId: Type.String(),
  name: Type.String(),
  description: Nullable(Type.String()),
  handle: Type.String({ description: 'Unique among the workspace’s live apps; the app’s host name on the edge' }),
  defaultVersionId: Nullable(Type.String()),
  status: Type.Union([Type.Literal('draft'), Type.Literal('live')], { description: 'live while a deploy serves the app' }),
  publicAccess: Type.Boolean(),
  pagesProjectId: Nullable(Type.String({ description: 'Always null: Berth has no Pages projects' })),
  apiKeyId: Nullable(Type.String({ description: 'The key that created the app' })),
  config: Type.Object({ nodeVersion: Nullable(Type.String()), env: EnvMap }),
  createdBy: Nullable(Type.String()),
  deletedAt: Nullable(Timestamp),
  retentionTier: Type.Null({ description: 'Always null: Berth keeps no retention tiers' }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const PageInfo = Type.Object({
  total: Type.Integer(),
  hasNextPage: Type.Boolean(),
  hasPreviousPage: Type.Boolean(),
  startCursor: Nullable(Type.String()),
  endCursor: Nullable(Type.String()),
});

const text = (description: string) => Type.Optional(Type.String({ maxLength: 4000, description }));

export const ListAppsQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: maxPageSize, default: maxPageSize, description: 'Page size (1–100, default 100)' })),
    after: text('Keyset cursor (pageInfo.endCursor): the page after this row'),
    before: text('Keyset cursor (pageInfo.startCursor): the page before this row'),
    ids: text('Comma-separated app ids'),
    filter: text('JSON AppFilter: AND / OR / NOT and per-field operators (equals, not, in, notIn, lt, lte, gt, gte, contains, startsWith, endsWith)'),
    orderBy: text('JSON array of { field: direction }; directions asc, desc, asc_nulls_first, asc_nulls_last, desc_nulls_first, desc_nulls_last'),
    workspace_id: Type.Optional(Type.String({ maxLength: 200, description: 'Default: the key’s workspace' })),
    include_deleted: Type.Optional(Type.Union([Type.Literal('false'), Type.Literal('true'), Type.Literal('only')])),
    name: text('Case-insensitive substring of the name'),
    source: Type.Optional(Type.Union([Type.Literal('workspace'), Type.Literal('integration')], { description: 'Berth has no integrations: `integration` lists nothing' })),
    default_version_id: text('Shorthand for filter defaultVersionId equals'),
    status: Type.Optional(Type.Union([Type.Literal('draft'), Type.Literal('live')])),
    public_access: Type.Optional(Type.Boolean()),
    api_key_id: text('Shorthand for filter apiKeyId equals'),
    created_by: text('Shorthand for filter createdBy equals'),
    retention_tier: text('Berth keeps no retention tiers: any value lists nothing'),
  },
  { additionalProperties: false },
);

export const AppList = Type.Object({ data: Type.Array(AppView), pageInfo: PageInfo });

const name = Type.String({ minLength: 1, maxLength: limits.nameLength.max });
const handle = Type.String({ minLength: limits.slugLength.min, maxLength: limits.slugLength.max });
const description = Type.String({ maxLength: 2000 });

export const CreateAppBody = Type.Object(
  {
    workspaceId: Type.Optional(Type.String({ maxLength: 200, description: 'Default: the key’s workspace' })),
    name,
    description: Type.Optional(description),
    handle: Type.Optional(handle),
    publicAccess: Type.Optional(Type.Boolean({ default: false })),
  },
  { additionalProperties: false },
);

export const UpdateAppBody = Type.Object(
  {
    name: Type.Optional(name),
    description: Type.Optional(Nullable(description)),
    handle: Type.Optional(handle),
    publicAccess: Type.Optional(Type.Boolean()),
    defaultVersionId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    config: Type.Optional(
      Type.Object(
        {
          nodeVersion: Type.Optional(Nullable(Type.String({ maxLength: 20 }))),
          env: Type.Optional(Type.Record(Type.String({ minLength: 1, maxLength: 255 }), Nullable(Type.String({ maxLength: envValueMaxBytes })), { maxProperties: 500, description: 'Runtime env merged in; null deletes a key' })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const FilesQuery = Type.Object({ path: Type.Optional(Type.String({ maxLength: 2000, description: 'Directory to list (omit for the root)' })) }, { additionalProperties: false });
export const FileQuery = Type.Object({ path: Type.String({ minLength: 1, maxLength: 2000, description: 'File path, relative to the version’s root' }) }, { additionalProperties: false });
export const FileBody = Type.Object(
  {
    path: Type.String({ minLength: 1, maxLength: 2000 }),
    content: Type.String({ description: 'UTF-8 text, or base64 when encoding is "base64"' }),
    encoding: Type.Optional(Type.Union([Type.Literal('utf8'), Type.Literal('base64')], { description: 'Berth’s addition; default utf8' })),
    executable: Type.Optional(
      Type.Boolean({
        description: 'Berth’s addition: true gives the file mode 0755 (a script to run), false 0644, in builds and previews. Omitted: false on create, unchanged on update.',
      }),
    ),
  },
  { additionalProperties: false },
);
export const FileList = Type.Object({
  data: Type.Array(
    Type.Object({
      name: Type.String(),
      path: Type.String(),
      isDirectory: Type.Boolean(),
      size: Type.Integer({ description: 'Bytes (of a directory: of every file under it)' }),
      executable: Type.Boolean({ description: 'Berth’s addition: the file has mode 0755 (false for directories)' }),
    }),
  ),
});
export const FileContent = Type.Object({
  content: Type.String(),
  contentType: Type.String(),
  encoding: Type.Union([Type.Literal('utf8'), Type.Literal('base64')], { description: 'base64 for binary files (Berth’s addition)' }),
  size: Type.Integer(),
  executable: Type.Boolean({ description: 'Berth’s addition: the file has mode 0755 (else 0644)' }),
});
export const VersionView = Type.Object({
  id: Type.String(),
  appId: Type.String(),
  workspaceId: Type.String(),
  copiedFrom: Nullable(Type.String()),
  createdBy: Nullable(Type.String()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export const CreateVersionBody = Type.Object(
  { fromVersionId: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Copy this version’s files (omit for an empty version)' })) },
  { additionalProperties: false },
);

export const EnvList = Type.Object({
  data: Type.Array(Type.Object({ name: Type.String(), type: Type.Union([Type.Literal('plain'), Type.Literal('secret')], { description: 'secret values are masked' }), value: Type.String() })),
});
export const SetEnvBody = Type.Object({ name: Type.String({ minLength: 1, maxLength: 255 }), value: Type.String({ maxLength: envValueMaxBytes }) }, { additionalProperties: false });
export const EnvNameQuery = Type.Object({ name: Type.String({ minLength: 1, maxLength: 255 }) }, { additionalProperties: false });
export const DomainView = Type.Object({
  id: Type.String(),
  appId: Type.String(),
  hostname: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('active'), Type.Literal('failed')], { description: 'pending until DNS proves the hostname (TXT _berth-challenge.<hostname> or a CNAME to the edge); with HTTPS, the certificate’s state' }),
  lastError: Nullable(Type.String()),
  createdBy: Nullable(Type.String()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export const SetDomainBody = Type.Object({ hostname: Type.String({ minLength: 1, maxLength: 253 }) }, { additionalProperties: false });

export const SessionParams = Type.Object({ sessionId: Type.String({ minLength: 1, maxLength: 200, description: 'The preview session’s prefixed id (appprv_…)' }) });
export const StartPreviewBody = Type.Object({ appVersionId: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false });
export const PreviewView = Type.Object({
  id: Type.String(),
  workspaceId: Type.String(),
  appId: Type.String(),
  versionId: Type.String(),
  status: Type.Union(['hydrating', 'installing', 'starting', 'ready', 'failed', 'stopped'].map((s) => Type.Literal(s)), {
    description: 'hydrating → installing → starting → ready; failed (see error) and stopped (see stoppedAt) are Berth’s additions',
  }),
  previewUrl: Type.String({ description: 'A host of its own on the edge, private to the workspace’s API keys and the app’s share links' }),
  error: Nullable(Type.String({ description: 'Why it failed, or why Berth stopped it (idle, restart)' })),
  metadata: Type.Record(Type.String(), Type.String(), { description: 'devServer and command, once it runs' }),
  lastHeartbeatAt: Timestamp,
  createdBy: Nullable(Type.String()),
  startedAt: Timestamp,
  readyAt: Nullable(Timestamp),
  stoppedAt: Nullable(Timestamp),
  createdAt: Timestamp,
});
export const KeepaliveView = Type.Object({ id: Type.String(), status: Type.String() });
