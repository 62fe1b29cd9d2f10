// The repositories the core needs; store/ implements them for SQLite and PostgreSQL alike.
import type { RegistryCredential } from '../../domain/registry-credential.js';
import type { App, AppStatus, AppType } from '../../domain/app.js';
import type { AppPageQuery, AppSelection } from '../../domain/app-query.js';
import type { AppVersion } from '../../domain/app-version.js';
import type { PreviewChanges, PreviewSession } from '../../domain/preview-session.js';
import type { AuditEntry } from '../../domain/audit.js';
import type { CustomDomain, DomainTls } from '../../domain/custom-domain.js';
import type { Deployment, DeploymentStatus } from '../../domain/deployment.js';
import type { EnvVar } from '../../domain/env-var-record.js';
import type { Revision, RevisionStatus, TrafficSplit } from '../../domain/revision.js';
import type { CronRun, CronRunStatus } from '../../domain/cron-run.js';
import type { PublicShare } from '../../domain/share.js';
import type { ApiKey, Workspace } from '../../domain/workspace.js';
import type { ActivityRepository, AlertRepository, LogRepository, MetricRepository } from './telemetry.js';
import type { AppBuildRepository } from './app-builds.js';
import type { BuildJobRepository, BuildLogRepository, UploadRepository, WebhookRepository } from './builds.js';
import type { EventRepository } from './events.js';
import type { DatabaseRepository, VolumeRepository } from './databases.js';

export interface WorkspaceRepository {
  create(workspace: Workspace): Promise<void>;
  byId(id: string): Promise<Workspace | null>;
  count(): Promise<number>;
}

export interface StoredApiKey extends ApiKey {
  keyHash: string;
}

export interface ApiKeyRepository {
  create(key: StoredApiKey): Promise<void>;
  /** Live (not deleted) key by hash. */
  byHash(keyHash: string): Promise<ApiKey | null>;
  list(workspaceId: string): Promise<ApiKey[]>;
  /** Soft-deletes; false when no live key matched. */
  delete(workspaceId: string, keyId: string, at: Date): Promise<boolean>;
  touch(keyId: string, at: Date): Promise<void>;
}

export interface AppListQuery {
  workspaceId: string;
  page: number;
  limit: number;
  type?: AppType;
  status?: AppStatus;
  search?: string;
}

export interface AppRepository {
  /** Throws DomainError('conflict') when the slug is taken by a live app of the workspace. */
  create(app: App): Promise<void>;
  /** Live app by id or slug. */
  find(workspaceId: string, idOrSlug: string): Promise<App | null>;
  /** Live app by id or slug, or a soft-deleted one by id. */
  findForPurge(workspaceId: string, idOrSlug: string): Promise<App | null>;
  list(query: AppListQuery): Promise<{ apps: App[]; total: number }>;
  countByStatus(workspaceId: string): Promise<Partial<Record<AppStatus, number>>>;
  /** Writes every field of `app`; throws DomainError('conflict') on a slug clash. */
  update(app: App): Promise<void>;
  softDelete(appId: string, at: Date): Promise<void>;
  /** Undoes a soft delete; throws DomainError('conflict') when a live app took the slug meanwhile. */
  restore(app: App, at: Date): Promise<void>;
  /** Removes the app and everything hanging off it. */
  purge(appId: string): Promise<void>;
  /** Live app by id in any workspace (for the engine, which acts for no caller). */
  byId(appId: string): Promise<App | null>;
  /** Every live app of every workspace. */
  listLive(): Promise<App[]>;
  /** Live apps that have a traffic split (what the reconciler runs). */
  listWithTraffic(): Promise<App[]>;
  setReplicas(appId: string, replicas: number, at: Date): Promise<void>;
  setStatus(appId: string, status: AppStatus, at: Date): Promise<void>;
}

/** Keyset pages of apps (spec 003's list): SQL, or the catalog of live apps where it answers the same. */
export interface AppPageRepository {
  /** Up to `limit` apps in the query's order; `hasMore`: at least one more lies beyond them. */
  page(query: AppPageQuery): Promise<{ apps: App[]; hasMore: boolean }>;
  count(selection: AppSelection): Promise<number>;
}

export interface AppVersionRepository {
  create(version: AppVersion): Promise<void>;
  byId(versionId: string): Promise<AppVersion | null>;
  /** The app's versions, oldest first. */
  list(appId: string): Promise<AppVersion[]>;
}

export interface VersionFileEntry {
  path: string;
  size: number;
  updatedAt: Date;
  /** Mode 0755 (else 0644) wherever the file is written out: builds, previews. */
  executable: boolean;
}

export interface VersionFileWrite {
  versionId: string;
  path: string;
  content: Buffer;
  at: Date;
  /** `create`: refused (conflict) when the file exists; `update`: not found when it does not. */
  mode: 'create' | 'update';
  /** null: as it was (an update), not executable (a create). */
  executable: boolean | null;
  limits: { maxFiles: number; maxTreeBytes: number };
}

/** The files of app versions; every write is one transaction, checked against the tree's bounds. */
export interface AppVersionFileRepository {
  /** Files under `dir` (`''`: all), by path. */
  list(versionId: string, dir: string): Promise<VersionFileEntry[]>;
  read(versionId: string, path: string): Promise<(VersionFileEntry & { content: Buffer }) | null>;
  /** Throws DomainError: conflict (exists, or a file/directory clash), not_found (update of none), invalid (a bound passed). */
  write(file: VersionFileWrite): Promise<void>;
  delete(versionId: string, path: string): Promise<boolean>;
  /** Every file of `from` into the empty version `to`, in one transaction. */
  copy(from: string, to: string, at: Date): Promise<void>;
}

/** Preview sessions (spec 003). */
export interface PreviewSessionRepository {
  create(session: PreviewSession): Promise<void>;
  byId(sessionId: string): Promise<PreviewSession | null>;
  /** The newest session of the version that has not ended (the warm one to reuse). */
  liveOfVersion(versionId: string): Promise<PreviewSession | null>;
  /** Sessions of the workspace that have not ended. */
  countLive(workspaceId: string): Promise<number>;
  /** Every session that has not ended, oldest first. */
  listLive(): Promise<PreviewSession[]>;
  /** Applies the changes while the session has not ended; false when it had. */
  update(sessionId: string, changes: PreviewChanges, at: Date): Promise<boolean>;
}

export interface RevisionRepository {
  /** Allocates the next sequence number of the app and stores the revision under it. */
  create(revision: Omit<Revision, 'sequence' | 'name'>, nameFor: (sequence: number) => string): Promise<Revision>;
  byId(revisionId: string): Promise<Revision | null>;
  /** By name within one app, or by id. */
  find(appId: string, nameOrId: string): Promise<Revision | null>;
  byName(name: string): Promise<Revision | null>;
  list(appId: string): Promise<Revision[]>;
  setStatus(revisionId: string, status: RevisionStatus, message: string | null): Promise<void>;
  markServed(revisionIds: readonly string[], at: Date): Promise<void>;
  /** The apps (live or not) with a revision of any of these artifacts: content-addressed, one may serve several. */
  appIdsUsing(imageRefs: readonly string[]): Promise<string[]>;
  /** Revisions in a traffic split or that served since `since`: all the reconciler may need to run. */
  listForReconcile(since: Date): Promise<Revision[]>;
}

export interface CronRunRepository {
  create(run: CronRun): Promise<void>;
  finish(runId: string, result: { status: CronRunStatus; exitCode: number | null; finishedAt: Date }): Promise<void>;
  list(appId: string, limit: number): Promise<CronRun[]>;
  /** The newest run of each of these apps (one read for all; apps without a run are absent). */
  latestOf(appIds: readonly string[]): Promise<Map<string, CronRun>>;
  /** Runs left `running` by a previous Berth process: failed, since their process is gone. */
  failUnfinished(at: Date): Promise<number>;
}

export interface TrafficRepository {
  get(appId: string): Promise<TrafficSplit[]>;
  /** Replaces the app's whole split in one transaction. */
  set(appId: string, splits: readonly TrafficSplit[], at: Date): Promise<void>;
  /** Every app's splits, for the reconciler and the route table. */
  all(): Promise<Map<string, TrafficSplit[]>>;
}

export interface ShareRepository {
  create(share: PublicShare): Promise<void>;
  listActive(appId: string, now: Date): Promise<PublicShare[]>;
  byId(appId: string, shareId: string): Promise<PublicShare | null>;
  revoke(shareId: string, at: Date): Promise<void>;
  /** Active shares of every app, for the route table. */
  listAllActive(now: Date): Promise<PublicShare[]>;
}

export interface DomainRepository {
  /** Throws DomainError('conflict') when an app of the same workspace claims the hostname already. */
  create(domain: CustomDomain, workspaceId: string): Promise<void>;
  list(appId: string): Promise<CustomDomain[]>;
  byId(appId: string, domainId: string): Promise<CustomDomain | null>;
  /** Claims of the hostname across all workspaces, verified or not. */
  countClaims(hostname: string): Promise<number>;
  delete(domainId: string): Promise<void>;
  /** Verifies this claim and unverifies every other claim of its hostname, at once. */
  markVerified(domainId: string, at: Date): Promise<void>;
  listVerified(): Promise<CustomDomain[]>;
  /** The edge's word on the certificate of a verified hostname. */
  setTls(hostname: string, tls: DomainTls): Promise<void>;
}

export interface EnvVarRepository {
  list(appId: string): Promise<EnvVar[]>;
  /** The vars of several apps in one query (a page of apps), by app id; apps without any are absent. */
  listOfApps(appIds: readonly string[]): Promise<Map<string, EnvVar[]>>;
  /** Inserts or replaces by (appId, key), all or nothing. */
  upsertMany(vars: EnvVar[]): Promise<EnvVar[]>;
  delete(appId: string, envVarId: string): Promise<boolean>;
}

export type DeploymentChanges = Partial<
  Pick<
    Deployment,
    'status' | 'stage' | 'error' | 'finishedAt' | 'startedAt' | 'builtAt' | 'revisionName' | 'imageRef' | 'buildpack' | 'gitCommitSha' | 'gitCommitMessage'
  >
>;

export interface DeploymentRepository {
  create(deployment: Deployment): Promise<void>;
  latest(appId: string): Promise<Deployment | null>;
  latestSucceeded(appId: string): Promise<Deployment | null>;
  byId(deploymentId: string): Promise<Deployment | null>;
  update(deploymentId: string, changes: DeploymentChanges): Promise<void>;
  /**
   * Applies the changes only while the deployment has not ended (and, given `from`, is in one of
   * those statuses); false when it had (cancelled meanwhile, say).
   */
  updateIfActive(deploymentId: string, changes: DeploymentChanges, from?: readonly DeploymentStatus[]): Promise<boolean>;
  /** The app's deployments that have not ended, oldest first. */
  listActive(appId: string): Promise<Deployment[]>;
  /** The latest deployment of each app of the workspace that has one. */
  latestOfWorkspace(workspaceId: string): Promise<Deployment[]>;
  /** When each app of the workspace last went live (its latest successful deployment ended). */
  lastSucceededAt(workspaceId: string): Promise<Map<string, Date>>;
  /** Every deployment of the app, newest first. */
  listAll(appId: string): Promise<Deployment[]>;
  /** Fails every deployment left in a non-terminal state (or in `statuses`) after a platform restart; returns how many. */
  failUnfinished(reason: string, at: Date, statuses?: readonly DeploymentStatus[]): Promise<number>;
}

export interface AuditRepository {
  append(entry: AuditEntry): Promise<void>;
  list(workspaceId: string, limit: number): Promise<AuditEntry[]>;
  /** The app's entries, newest first, with the name of the key that made each change (null: none, or a webhook). */
  listForApp(appId: string, limit: number): Promise<(AuditEntry & { actorName: string | null })[]>;
  /** A target's entries in its workspace, newest first, older than the entry `before` when given; with the name of the key that made each. */
  listForTarget(query: { workspaceId: string; targetType: string; targetId: string; before: string | null; limit: number }): Promise<(AuditEntry & { actorName: string | null })[]>;
}

export interface RegistryCredentialRepository {
  /** False when the workspace already has a credential of that name. */
  create(credential: RegistryCredential, password: string): Promise<boolean>;
  list(workspaceId: string): Promise<RegistryCredential[]>;
  byName(workspaceId: string, name: string): Promise<RegistryCredential | null>;
  /** The password, opened: only for a pull or push, never for a response. */
  password(credentialId: string): Promise<string | null>;
  delete(workspaceId: string, credentialId: string): Promise<boolean>;
}

export interface Store {
  workspaces: WorkspaceRepository;
  apiKeys: ApiKeyRepository;
  apps: AppRepository;
  appPages: AppPageRepository;
  appVersions: AppVersionRepository;
  versionFiles: AppVersionFileRepository;
  previewSessions: PreviewSessionRepository;
  shares: ShareRepository;
  domains: DomainRepository;
  envVars: EnvVarRepository;
  deployments: DeploymentRepository;
  audit: AuditRepository;
  revisions: RevisionRepository;
  traffic: TrafficRepository;
  cronRuns: CronRunRepository;
  logs: LogRepository;
  metrics: MetricRepository;
  alerts: AlertRepository;
  activity: ActivityRepository;
  builds: BuildJobRepository;
  buildLogs: BuildLogRepository;
  /** Builds of app versions (spec 003) and their log lines. */
  appBuilds: AppBuildRepository;
  appBuildLogs: BuildLogRepository;
  uploads: UploadRepository;
  webhooks: WebhookRepository;
  events: EventRepository;
  registryCredentials: RegistryCredentialRepository;
  databases: DatabaseRepository;
  volumes: VolumeRepository;
}
