// Row shapes of every table, as Kysely sees them. Portable types only: text (ISO-8601 UTC
// timestamps, JSON), integer (booleans as 0/1), so one set of queries serves SQLite and PostgreSQL.
import type { Generated } from 'kysely';

export interface WorkspaceRow {
  id: string;
  name: string;
  created_at: string;
}

export interface ApiKeyRow {
  id: string;
  workspace_id: string;
  name: string;
  key_prefix: string;
  key_hash: string;
  /** JSON array of scopes. */
  scopes: string;
  expires_at: string | null;
  last_used_at: string | null;
  created_at: string;
  deleted_at: string | null;
}

export interface AppRow {
  id: string;
  workspace_id: string;
  name: string;
  /** lower(name), for case-insensitive search. */
  name_search: string;
  slug: string;
  description: string | null;
  type: string;
  status: string;
  source_type: string;
  git_repo_url: string | null;
  git_branch: string;
  git_provider: string | null;
  git_installation_id: string | null;
  image_ref: string | null;
  image_registry_auth_ref: string | null;
  dockerfile_path: string | null;
  auto_deploy: number;
  release_command: string | null;
  visibility: string;
  cpu_limit_millicores: number;
  memory_limit_mi: number;
  disk_limit_mi: number;
  min_replicas: number;
  max_replicas: number;
  cpu_target_utilization: number;
  schedule: string | null;
  port: number | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  /** Desired replicas set by scale; null: minReplicas. */
  replicas: number | null;
  traffic_updated_at: string | null;
  readiness_path: string | null;
  readiness_type: string | null;
  /** Migration 0020: 1 when the edge keeps a browser on one instance. */
  session_affinity: number;
  /** Migration 0006: replaces the detected build step. */
  build_command: string | null;
  /** Migration 0010 (spec 003). */
  default_version_id: string | null;
  node_version: string | null;
  created_by: string | null;
}

export interface ShareRow {
  id: string;
  app_id: string;
  token_hash: string;
  /** The token sealed with the secret key, so the link can be shown again. */
  token_sealed: string;
  require_auth: number;
  expires_at: string | null;
  created_at: string;
  revoked_at: string | null;
}

export interface DomainRow {
  id: string;
  app_id: string;
  /** The app's workspace: a hostname is claimed at most once per workspace. */
  workspace_id: string;
  domain: string;
  target_port: number | null;
  verified: number;
  tls_status: string;
  verification_token: string;
  created_at: string;
  verified_at: string | null;
  tls_error: string | null;
  tls_expires_at: string | null;
}

export interface EnvVarRow {
  id: string;
  app_id: string;
  key: string;
  /** Plain for ordinary values, sealed for secrets. */
  value: string;
  is_secret: number;
  /** Migration 0010: runtime | build | both (rows from before: both). */
  scope: string;
  created_at: string;
  updated_at: string;
}

export interface DeploymentRow {
  id: string;
  app_id: string;
  workspace_id: string;
  status: string;
  trigger_type: string;
  git_branch: string | null;
  git_commit_sha: string | null;
  git_commit_message: string | null;
  buildpack: string | null;
  image_ref: string | null;
  revision_name: string | null;
  rolled_back_from: string | null;
  error: string | null;
  started_at: string | null;
  finished_at: string | null;
  created_at: string;
  /** Migration 0005: the furthest stage reached, when the deployment built, the revision it reused. */
  stage: string | null;
  built_at: string | null;
  reused_revision: string | null;
  /** Migration 0012: the app build it deploys, and the key that asked for it. */
  build_id: string | null;
  created_by: string | null;
}

export interface AuditRow {
  id: string;
  workspace_id: string;
  actor_key_id: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  /** JSON; never holds secret values. */
  detail: string | null;
  created_at: string;
  /** Migration 0006: the app the change was made to, when it was made to one. */
  app_id: string | null;
}

/** Migration 0006: Kubernetes-style events of an app; repeats are folded into `count`. */
export interface AppEventRow {
  id: string;
  app_id: string;
  type: string;
  reason: string;
  message: string;
  object_kind: string;
  object_name: string;
  /** Same app, object, reason and message: the event a repeat folds into. */
  fold_key: string;
  count: number;
  first_at: string;
  last_at: string;
}

/** Migration 0009: a workspace's registry credentials; the password sealed. */
export interface RegistryCredentialRow {
  id: string;
  workspace_id: string;
  name: string;
  registry: string;
  username: string;
  secret_sealed: string;
  created_at: string;
}

export interface RevisionRow {
  id: string;
  app_id: string;
  name: string;
  sequence: number;
  image_ref: string;
  artifact_dir: string;
  /** JSON RevisionConfig. */
  config: string;
  /** JSON env, sealed: revisions hold secrets. */
  env_sealed: string;
  status: string;
  status_message: string | null;
  created_at: string;
  last_served_at: string | null;
  /** Migration 0005: JSON RevisionProvenance (where its code came from), null on older revisions. */
  provenance: string | null;
  /** Migration 0009: 'tree' (built by Berth, checked out at artifact_dir) or 'image' (image_ref is pinned by digest). */
  artifact_kind: string;
}

export interface TrafficSplitRow {
  app_id: string;
  revision_id: string;
  percent: number;
  tag: string | null;
}

export interface CronRunRow {
  id: string;
  app_id: string;
  revision_id: string;
  scheduled_for: string;
  started_at: string;
  finished_at: string | null;
  exit_code: number | null;
  status: string;
}

/** Telemetry (migration 0004): timestamps are epoch milliseconds. */
export interface LogLineRow {
  seq: number;
  app_id: string;
  ts: number;
  /** 0 DEBUG … 4 CRITICAL. */
  severity: number;
  /** 0 stdout, 1 stderr, 2 platform. */
  stream: number;
  revision_name: string;
  instance_id: string;
  message: string;
}

export interface LogUsageRow {
  app_id: string;
  lines: number;
  bytes: number;
}

/** One chunk of an app's pruned log lines: their seqs as runs (see `seq-runs.ts`). */
export interface LogPruneRow {
  app_id: string;
  first_seq: number;
  last_seq: number;
  lines: number;
  seqs: string;
}

export interface MetricBucketRow {
  app_id: string;
  resolution_s: number;
  start_ms: number;
  samples: number;
  cpu_sum: number;
  cpu_max: number;
  memory_sum: number;
  memory_max: number;
  instances_sum: number;
  instances_max: number;
  requests: number;
  errors: number;
  latency_sum_ms: number;
  latency_max_ms: number;
}

export interface AlertRow {
  id: string;
  workspace_id: string;
  app_id: string;
  type: string;
  severity: string;
  message: string;
  triggered_at: string;
  resolved_at: string | null;
  resolved_by: string | null;
}

/** Builds (migration 0003). */
export interface BuildJobRow {
  deployment_id: string;
  app_id: string;
  /** JSON BuildSource. */
  source: string;
  /** queued | running | done */
  state: string;
  created_at: string;
}

export interface BuildLogLineRow {
  deployment_id: string;
  seq: number;
  ts: string;
  line: string;
}

export interface UploadRow {
  id: string;
  app_id: string;
  workspace_id: string;
  token_hash: string;
  declared_size: number;
  declared_sha256: string | null;
  /** pending | uploaded | complete */
  status: string;
  size_bytes: number | null;
  sha256: string | null;
  expires_at: string;
  created_at: string;
}

export interface AppWebhookRow {
  app_id: string;
  secret_sealed: string;
  created_at: string;
}

export interface AppVersionRow {
  id: string;
  app_id: string;
  workspace_id: string;
  /** The version this one was copied from; null: created empty. */
  copied_from: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface PreviewSessionRow {
  id: string;
  workspace_id: string;
  app_id: string;
  version_id: string;
  status: string;
  error: string | null;
  /** JSON object of strings. */
  metadata: string;
  last_heartbeat_at: string;
  created_by: string | null;
  started_at: string;
  ready_at: string | null;
  stopped_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface AppVersionFileRow {
  version_id: string;
  path: string;
  content_base64: string;
  size: number;
  updated_at: string;
  /** Migration 0015: 1 = mode 0755, 0 = 0644. */
  executable: Generated<number>;
}

/** Migration 0012: builds of app versions. */
export interface AppBuildRow {
  id: string;
  app_id: string;
  workspace_id: string;
  version_id: string;
  status: string;
  error: string | null;
  source_digest: string | null;
  file_count: number;
  image_ref: string | null;
  /** JSON argv. */
  command: string | null;
  buildpack: string | null;
  created_by: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export interface AppBuildLogLineRow {
  build_id: string;
  seq: number;
  ts: string;
  line: string;
}

export interface DatabaseRow {
  id: string;
  workspace_id: string;
  project_id: string | null;
  name: string;
  slug: string;
  engine: string;
  version: string;
  status: string;
  status_message: string | null;
  cpu_millicores: number;
  memory_mi: number;
  storage_gb: number;
  storage_class: string | null;
  high_availability: number;
  host: string | null;
  port: number | null;
  username: string | null;
  /** Sealed. */
  password: string | null;
  database_name: string | null;
  created_at: string;
  updated_at: string;
}

export interface DatabaseAttachmentRow {
  database_id: string;
  app_id: string;
  mount_path: string | null;
  env_key: string;
  created_at: string;
}

export interface AppVolumeRow {
  id: string;
  app_id: string;
  name: string;
  mount_path: string;
  size_mi: number;
  single_writer: number;
  created_at: string;
}

export interface Database {
  databases: DatabaseRow;
  database_attachments: DatabaseAttachmentRow;
  app_volumes: AppVolumeRow;
  workspaces: WorkspaceRow;
  api_keys: ApiKeyRow;
  apps: AppRow;
  app_versions: AppVersionRow;
  app_version_files: AppVersionFileRow;
  app_builds: AppBuildRow;
  app_build_log_lines: AppBuildLogLineRow;
  preview_sessions: PreviewSessionRow;
  public_shares: ShareRow;
  domains: DomainRow;
  env_vars: EnvVarRow;
  deployments: DeploymentRow;
  audit_entries: AuditRow;
  revisions: RevisionRow;
  registry_credentials: RegistryCredentialRow;
  traffic_splits: TrafficSplitRow;
  cron_runs: CronRunRow;
  log_lines: LogLineRow;
  log_usage: LogUsageRow;
  log_prunes: LogPruneRow;
  metric_buckets: MetricBucketRow;
  alerts: AlertRow;
  build_jobs: BuildJobRow;
  build_log_lines: BuildLogLineRow;
  uploads: UploadRow;
  app_webhooks: AppWebhookRow;
  app_events: AppEventRow;
}
