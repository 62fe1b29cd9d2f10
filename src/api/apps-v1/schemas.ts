// Wire shapes of the Apps API (spec 002): snake_case, bare objects and arrays. They validate
// requests and feed this dialect's part of the OpenAPI document (tag `Apps API (v1)`).
import { Type } from '@sinclair/typebox';
import type { TSchema } from '@sinclair/typebox';
import { limits } from '../../domain/app.js';
import { envValueMaxBytes } from '../../domain/env-var.js';
import { maxLogLimit } from '../../core/monitoring/read-logs.js';
import { deploymentStandingWords, instancePhaseWords, sourceTypeWords, triggerWords, appStatusWords, wordsOf } from '../dialect-words.js';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Timestamp = Type.String({ format: 'date-time' });
const words = (row: Readonly<Record<string, string>>, description?: string) =>
  Type.Union(wordsOf(row).map((w) => Type.Literal(w)), description ? { description } : {});

export const AppsV1Error = Type.Object(
  {
    error: Type.Object({
      status: Type.Integer(),
      code: Type.String({ description: 'invalid_request, invalid_json, not_found, conflict, unauthorized, forbidden, payload_too_large, unsupported_media_type, unavailable, insufficient_storage, internal_error' }),
      message: Type.String(),
      details: Type.Array(Type.Object({ field: Nullable(Type.String()), message: Type.String() }), { description: 'Every problem of a 400, with the field it is about' }),
      request_id: Type.String(),
    }),
  },
  { $id: 'AppsV1Error', description: 'Apps API error' },
);

export const errorRef = Type.Ref(AppsV1Error);
export const errors = { 400: errorRef, 401: errorRef, 403: errorRef, 404: errorRef };

export const AppParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200, description: 'App id or slug' }) });
export const DeploymentParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }), deploymentId: Type.String({ minLength: 1, maxLength: 200 }) });

const envKey = Type.String({ minLength: 1, maxLength: 255 });
const envValue = Type.String({ maxLength: envValueMaxBytes });
const EnvMap = Type.Record(envKey, envValue, { maxProperties: 500, description: 'Environment variables as key-value pairs' });
const EnvChanges = Type.Record(envKey, Nullable(envValue), {
  maxProperties: 500,
  description: 'Merged into the env; a key set to null is deleted. A change rolls the app out with it.',
});

const fields = {
  name: Type.String({ minLength: 1, maxLength: limits.nameLength.max, description: 'Application name; the slug (subdomain) is made from it' }),
  source_type: words(sourceTypeWords.appsV1, 'image, git or upload'),
  image_url: Type.String({ minLength: 1, maxLength: 500, description: 'Image reference (required for image sources)' }),
  repo_url: Type.String({ minLength: 1, maxLength: 2000, description: 'Git repository URL (required for git sources)' }),
  repo_branch: Type.String({ minLength: 1, maxLength: 255, description: 'Git branch to deploy (default: main)' }),
  build_command: Nullable(Type.String({ maxLength: limits.buildCommandLength.max, description: 'Replaces the detected build step (git and upload sources)' })),
  port: Nullable(Type.Integer({ minimum: limits.port.min, maximum: limits.port.max, description: 'Port the application listens on (default: PORT, which Berth sets)' })),
  replicas: Type.Integer({ minimum: 0, maximum: limits.replicas.max, description: 'Number of replicas (default: 1)' }),
};

export const CreateAppBody = Type.Object(
  {
    name: fields.name,
    source_type: Type.Optional(fields.source_type),
    image_url: Type.Optional(fields.image_url),
    repo_url: Type.Optional(fields.repo_url),
    repo_branch: Type.Optional(fields.repo_branch),
    build_command: Type.Optional(fields.build_command),
    port: Type.Optional(fields.port),
    replicas: Type.Optional(fields.replicas),
    env: Type.Optional(EnvMap),
    template: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Template id for one-click deploys (GET /api/v1/templates); the request’s own fields win' })),
  },
  { additionalProperties: false },
);

export const UpdateAppBody = Type.Object(
  {
    name: Type.Optional(fields.name),
    image_url: Type.Optional(fields.image_url),
    repo_url: Type.Optional(fields.repo_url),
    repo_branch: Type.Optional(fields.repo_branch),
    build_command: Type.Optional(fields.build_command),
    port: Type.Optional(fields.port),
    replicas: Type.Optional(fields.replicas),
    env: Type.Optional(EnvChanges),
  },
  { additionalProperties: false },
);

const Deployment = Type.Object({
  id: Type.String(),
  app_id: Type.String(),
  status: words(deploymentStandingWords.appsV1, 'active: its revision serves now (a web app’s traffic; a worker’s instances or a cron app’s runs, which take no HTTP traffic); superseded: served and no longer does; failed; or in progress (queued, building, deploying); cancelled'),
  image: Nullable(Type.String({ description: 'Image reference, or the digest of the artifact Berth built' })),
  trigger: words(triggerWords.appsV1),
  commit_sha: Nullable(Type.String()),
  revision: Nullable(Type.String()),
  error: Nullable(Type.String()),
  created_at: Timestamp,
  finished_at: Nullable(Timestamp),
});
export const DeploymentView = Deployment;

export const AppSummary = Type.Object({
  id: Type.String(),
  project_id: Type.String({ description: 'The workspace of the key' }),
  name: Type.String(),
  slug: Type.String(),
  source_type: words(sourceTypeWords.appsV1),
  image_url: Nullable(Type.String()),
  repo_url: Nullable(Type.String()),
  repo_branch: Type.String(),
  build_command: Nullable(Type.String()),
  replicas: Type.Integer(),
  port: Nullable(Type.Integer()),
  status: words(appStatusWords.appsV1),
  url: Nullable(Type.String({ description: 'Where the app answers HTTP; null for worker and cron apps, which take no HTTP requests' })),
  last_deploy_at: Nullable(Timestamp),
  created_at: Timestamp,
  updated_at: Timestamp,
});

export const AppDetail = Type.Object({
  ...AppSummary.properties,
  env: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'Secret values are masked; absent when the key may not read env' })),
  latest_deployment: Nullable(Deployment),
  deployment: Type.Optional(Nullable(Deployment)),
});

const Pod = Type.Object({
  name: Type.String(),
  phase: words(instancePhaseWords.appsV1),
  ready: Type.Boolean(),
  reason: Type.Optional(Type.Literal('CrashLoopBackOff', { description: 'Only while the pod crashed and waits for its restart (phase Pending)' })),
  message: Type.Optional(Type.String({ description: 'Why it crashed (exit code and last stderr line, OOM kill…), beside reason' })),
});

export const StatusView = Type.Object({
  app_id: Type.String(),
  status: words(appStatusWords.appsV1),
  desired_replicas: Type.Integer(),
  ready_replicas: Type.Integer(),
  pods: Type.Array(Pod, { description: 'Instances of the serving revision, and any told to stop whose process still runs (phase Terminating, not counted in ready_replicas)' }),
});

export const PodView = Type.Object({
  ...Pod.properties,
  restarts: Type.Integer({ description: 'Failed instances replaced on the way to this one' }),
  started_at: Timestamp,
  revision: Type.String(),
  node: Type.String(),
  serving: Type.Boolean({ description: 'Its revision holds traffic (else a warm standby)' }),
});

export const LogsQuery = Type.Object({
  lines: Type.Optional(Type.Integer({ minimum: 1, maximum: maxLogLimit, description: 'Last lines to show (default 100)' })),
  follow: Type.Optional(Type.Boolean({ description: 'Stream new lines as Server-Sent Events after the last ones' })),
  token: Type.Optional(Type.String({ maxLength: 300, description: 'API key, for EventSource clients that cannot send headers' })),
});

export const LogLine = Type.Object({
  timestamp: Timestamp,
  pod: Type.String(),
  revision: Type.String(),
  stream: Type.String({ description: 'stdout, stderr, or platform (lines Berth writes about the app)' }),
  severity: Type.String(),
  message: Type.String(),
});
export const LogsView = Type.Object({ app_id: Type.String(), lines: Type.Array(LogLine) });

export const BuildLogView = Type.Object({
  app_id: Type.String(),
  deployment_id: Nullable(Type.String()),
  status: Nullable(words(deploymentStandingWords.appsV1)),
  lines: Type.Array(Type.String()),
});

const usageFields = {
  cpu_percent: Type.Number({ description: 'Share of one core (100 = one full core)' }),
  memory_mib: Type.Number(),
  disk_bytes: Nullable(Type.Integer({ description: 'Bytes the instance wrote to its writable space (instances of a revision share one)' })),
  network_rx_bytes: Nullable(Type.Integer({ description: 'Null while instances share the host network' })),
  network_tx_bytes: Nullable(Type.Integer()),
};
export const MetricsView = Type.Object({
  app_id: Type.String(),
  timestamp: Timestamp,
  ...usageFields,
  pods: Type.Array(Type.Object({ name: Type.String(), revision: Type.String(), serving: Type.Boolean(), ...usageFields })),
});

export const EventView = Type.Object({
  type: Type.Union([Type.Literal('Normal'), Type.Literal('Warning')]),
  reason: Type.String(),
  message: Type.String(),
  involved_object: Type.Object({ kind: Type.String(), name: Type.String() }),
  count: Type.Integer(),
  first_timestamp: Timestamp,
  last_timestamp: Timestamp,
});

export const AuditView = Type.Object({
  action: Type.String(),
  user: Type.String({ description: 'Name of the API key that made the change (webhook for pushes)' }),
  details: Type.String(),
  created_at: Timestamp,
});

export const RestartView = Type.Object({
  app_id: Type.String(),
  restarted: Type.Array(Type.Object({ pod: Type.String(), replaced_by: Type.String() })),
});

export const BuildView = Type.Object({
  deployment: Deployment,
  upload: Type.Object({ id: Type.String(), size_bytes: Type.Integer(), sha256: Type.String() }),
});

export const TemplateView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  source_type: words(sourceTypeWords.appsV1),
  image_url: Nullable(Type.String()),
  repo_url: Nullable(Type.String()),
  repo_branch: Nullable(Type.String()),
  build_command: Nullable(Type.String()),
  port: Nullable(Type.Integer()),
  replicas: Type.Integer(),
  env: Type.Record(Type.String(), Type.String()),
  resources: Type.Object({ cpu_millicores: Type.Integer(), memory_mib: Type.Integer() }),
});
