// Wire shapes of the Apps page (spec 000).
import { Type } from '@sinclair/typebox';
import { appTypes, limits, readinessTypes, visibilities } from '../../../domain/app.js';
import { defaultPageSize, maxPageSize } from '../../../core/apps/manage-apps.js';
import { appStatusWords, wordsOf } from '../../dialect-words.js';
import { Nullable, PageMeta, Timestamp } from './common.js';

const appFields = {
  name: Type.String({ minLength: 1, maxLength: limits.nameLength.max, description: 'Human-readable display name' }),
  slug: Type.String({
    minLength: limits.slugLength.min,
    maxLength: limits.slugLength.max,
    pattern: '^[a-z0-9]([a-z0-9-]*[a-z0-9])?$',
    'x-pattern-message': 'must contain only lowercase letters, digits and hyphens, and start and end with a letter or digit',
    description: 'URL-safe identifier, unique in the workspace; the default subdomain',
  }),
  description: Nullable(Type.String({ maxLength: 2000 })),
  type: Type.Union(appTypes.map((t) => Type.Literal(t)), { description: 'Default: web' }),
  gitRepoUrl: Nullable(Type.String({ maxLength: 2000, description: 'https URL; a URL without scheme means https' })),
  gitBranch: Type.String({ minLength: 1, maxLength: 255, description: 'Default: main' }),
  gitInstallationId: Nullable(Type.String({ maxLength: 200 })),
  dockerfilePath: Nullable(Type.String({ maxLength: 500 })),
  autoDeploy: Type.Boolean({ description: 'Default: false' }),
  releaseCommand: Nullable(Type.String({ maxLength: 2000 })),
  visibility: Type.Union(visibilities.map((v) => Type.Literal(v)), { description: 'Default: private' }),
  cpuLimitMillicores: Type.Integer({ minimum: limits.cpuMillicores.min, maximum: limits.cpuMillicores.max }),
  memoryLimitMi: Type.Integer({ minimum: limits.memoryMi.min, maximum: limits.memoryMi.max }),
  diskLimitMi: Type.Integer({
    minimum: limits.diskMi.min,
    maximum: limits.diskMi.max,
    description: 'Writable space of each instance (what it adds to or changes in its files), MiB. Default: 1024',
  }),
  port: Nullable(
    Type.Integer({
      minimum: limits.port.min,
      maximum: limits.port.max,
      description: 'Port the app listens on (PORT is set to it); null: the app follows PORT. An app found listening on another port is served there',
    }),
  ),
  minReplicas: Type.Integer({ minimum: limits.replicas.min, maximum: limits.replicas.max }),
  maxReplicas: Type.Integer({ minimum: limits.replicas.min, maximum: limits.replicas.max, description: 'Must be >= minReplicas' }),
  cpuTargetUtilization: Type.Integer({ minimum: limits.cpuTarget.min, maximum: limits.cpuTarget.max }),
  schedule: Nullable(Type.String({ maxLength: 200, description: 'Cron expression, required for cron apps' })),
  readinessPath: Type.String({ minLength: 1, maxLength: 500, description: 'HTTP path Berth probes before routing traffic. Default: /' }),
  readinessType: Type.Union(readinessTypes.map((t) => Type.Literal(t)), {
    description: 'http: GET readinessPath answers below 500; tcp: the port accepts a connection. Default: http',
  }),
  sessionAffinity: Type.Boolean({
    description:
      "Berth's addition: the edge sends a browser's requests to the instance that answered its first one (cookie berth-affinity), as apps with in-memory sessions or socket.io's polling transport need with several replicas. Takes effect at once. Default: false",
  }),
};

export const CreateAppBody = Type.Object({
  name: appFields.name,
  slug: appFields.slug,
  description: Type.Optional(appFields.description),
  type: Type.Optional(appFields.type),
  gitRepoUrl: Type.Optional(appFields.gitRepoUrl),
  gitBranch: Type.Optional(appFields.gitBranch),
  gitInstallationId: Type.Optional(appFields.gitInstallationId),
  dockerfilePath: Type.Optional(appFields.dockerfilePath),
  autoDeploy: Type.Optional(appFields.autoDeploy),
  releaseCommand: Type.Optional(appFields.releaseCommand),
  visibility: Type.Optional(appFields.visibility),
  cpuLimitMillicores: Type.Optional(appFields.cpuLimitMillicores),
  memoryLimitMi: Type.Optional(appFields.memoryLimitMi),
  diskLimitMi: Type.Optional(appFields.diskLimitMi),
  port: Type.Optional(appFields.port),
  minReplicas: Type.Optional(appFields.minReplicas),
  maxReplicas: Type.Optional(appFields.maxReplicas),
  cpuTargetUtilization: Type.Optional(appFields.cpuTargetUtilization),
  schedule: Type.Optional(appFields.schedule),
  readinessPath: Type.Optional(appFields.readinessPath),
  readinessType: Type.Optional(appFields.readinessType),
  sessionAffinity: Type.Optional(appFields.sessionAffinity),
});

export const UpdateAppBody = Type.Partial(CreateAppBody);

export const ListAppsQuery = Type.Object({
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, default: 1 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: maxPageSize, default: defaultPageSize })),
  type: Type.Optional(Type.Union(appTypes.map((t) => Type.Literal(t)))),
  status: Type.Optional(Type.Union(wordsOf(appStatusWords.dooor).map((s) => Type.Literal(s)))),
  search: Type.Optional(Type.String({ maxLength: 200, description: 'Case-insensitive match on the app name' })),
});

export const AppSummary = Type.Object({
  id: Type.String(),
  name: Type.String(),
  slug: Type.String(),
  status: Type.String(),
  type: Type.String(),
  url: Nullable(Type.String({ description: 'Where the app answers HTTP; null for a worker or cron app, which takes no HTTP requests' })),
  gitRepoUrl: Nullable(Type.String()),
  gitBranch: Type.String(),
  createdAt: Timestamp,
});

export const LatestDeployment = Nullable(
  Type.Object({
    id: Type.String(),
    status: Type.String(),
    gitCommitSha: Nullable(Type.String()),
    gitCommitMessage: Nullable(Type.String()),
    createdAt: Timestamp,
  }),
);

export const AppDetail = Type.Object({
  ...AppSummary.properties,
  description: Nullable(Type.String()),
  visibility: Type.String(),
  sourceType: Type.String(),
  dockerfilePath: Nullable(Type.String()),
  autoDeploy: Type.Boolean(),
  releaseCommand: Nullable(Type.String()),
  cpuLimitMillicores: Type.Integer(),
  memoryLimitMi: Type.Integer(),
  diskLimitMi: Type.Integer(),
  port: Nullable(Type.Integer()),
  minReplicas: Type.Integer(),
  maxReplicas: Type.Integer(),
  cpuTargetUtilization: Type.Integer(),
  schedule: Nullable(Type.String()),
  readinessPath: Type.String(),
  readinessType: Type.String(),
  sessionAffinity: Type.Boolean({ description: "Berth's addition: whether the edge keeps a browser on one instance (see the create body)" }),
  replicas: Type.Integer({ description: "Replicas per serving revision now: the last scale, or the autoscaler's current choice between minReplicas and maxReplicas; 0 means stopped" }),
  gitInstallationId: Nullable(Type.String()),
  latestDeployment: Type.Optional(LatestDeployment),
  nextRunAt: Type.Optional(
    Type.Union([Timestamp, Type.Null()], { description: "Berth's addition, on GET: when a cron app's schedule (read in UTC) next fires; null for other apps, a stopped cron app or one not deployed yet" }),
  ),
  updatedAt: Timestamp,
});

export const AppList = Type.Object({ data: Type.Array(AppSummary), meta: PageMeta });

export const AppStats = Type.Object({
  total: Type.Integer(),
  active: Type.Integer(),
  deploying: Type.Integer(),
  failed: Type.Integer(),
  stopped: Type.Integer(),
  buildFailed: Type.Integer(),
  disabled: Type.Integer(),
});

const stage = Type.Object({ status: Type.String() }, { additionalProperties: true });

export const PipelineView = Type.Object({
  source: stage,
  build: stage,
  deploy: stage,
  harbor: stage,
  runtime: stage,
  overallStatus: Type.String(),
});
