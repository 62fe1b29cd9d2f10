// Wire shapes of builds and deploys in the REST dialect (spec 003). The deploy row is the
// spec's; builds, build logs and the deploy reads are Berth's additions.
import { Type } from '@sinclair/typebox';
import type { TSchema } from '@sinclair/typebox';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Timestamp = Type.String({ format: 'date-time' });
const id = Type.String({ minLength: 1, maxLength: 200 });
const runStatus = (description: string) =>
  Type.Union([Type.Literal('pending'), Type.Literal('running'), Type.Literal('completed'), Type.Literal('failed')], { description });

export const BuildParams = Type.Object({ id, buildId: id });
export const DeployParams = Type.Object({ id, deployId: id });

export const CreateBuildBody = Type.Object(
  { appVersionId: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'The version to build (default: the app’s default version)' })) },
  { additionalProperties: false },
);
export const ListBuildsQuery = Type.Object(
  {
    appVersionId: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Only builds of this version' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 100 })),
  },
  { additionalProperties: false },
);

export const BuildView = Type.Object({
  id: Type.String(),
  appId: Type.String(),
  workspaceId: Type.String(),
  versionId: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('running'), Type.Literal('completed'), Type.Literal('failed'), Type.Literal('cancelled')], {
    description: 'pending while queued; cancelled when someone cancelled it or its app was deleted, with the reason in error',
  }),
  error: Nullable(Type.String()),
  artifactDigest: Nullable(Type.String({ description: 'The artifact (sha256:…), once completed' })),
  buildpack: Nullable(Type.String()),
  sourceDigest: Nullable(Type.String({ description: 'sha256 of the version’s files as they were when the build was asked for' })),
  fileCount: Type.Integer(),
  logUrl: Type.String({ description: 'Where the build log is read' }),
  createdBy: Nullable(Type.String()),
  createdAt: Timestamp,
  startedAt: Nullable(Timestamp),
  completedAt: Nullable(Timestamp),
});
export const BuildList = Type.Object({ data: Type.Array(BuildView) });
export const BuildLog = Type.Object({ buildId: Type.String(), status: BuildView.properties.status, data: Type.Array(Type.String()) });

export const DeployView = Type.Object({
  id: Type.String(),
  workspaceId: Type.String(),
  entityId: Type.String({ description: 'The app' }),
  sequenceNumber: Type.Integer({ description: '1, 2, 3… per app' }),
  buildId: Nullable(Type.String({ description: 'null for deploys that built their own artifact (other APIs) or reused a revision' })),
  status: runStatus('pending, running (building or rolling out), completed (live), failed (also when cancelled, with the reason in error)'),
  trigger: Type.Union([Type.Literal('auto'), Type.Literal('manual'), Type.Literal('rollback')]),
  sourceEventId: Type.Null({ description: 'Always null: Berth has no source events' }),
  productionUrl: Nullable(Type.String({ description: 'The app’s URL, once this deploy completed; null for worker and cron apps, which take no HTTP requests' })),
  previewUrl: Type.Null({ description: 'Always null: a deploy goes to the production URL; previews have sessions of their own' }),
  error: Nullable(Type.String()),
  metadata: Type.Object({ revisionName: Nullable(Type.String()), artifactDigest: Nullable(Type.String()), stage: Nullable(Type.String()) }),
  createdBy: Nullable(Type.String()),
  startedAt: Nullable(Timestamp),
  completedAt: Nullable(Timestamp),
  createdAt: Timestamp,
});
export const DeployList = Type.Object({ data: Type.Array(DeployView) });
