// What the deploy use-cases need besides the core store: the build queue's rows, build logs,
// uploads and webhook secrets (store/), and the builder and queue themselves (engine/).
import type { Deployment, DeploymentStatus } from '../../domain/deployment.js';
import type { BuildJob, BuildJobState, BuildLogLine, BuildSource, Upload } from '../../domain/build.js';

export interface DeploymentPageQuery {
  appId: string;
  page: number;
  limit: number;
  status?: DeploymentStatus;
}

export interface BuildJobRepository {
  /** Stores a new deployment and its build job together (both or neither). */
  enqueue(deployment: Deployment, job: BuildJob): Promise<void>;
  byDeployment(deploymentId: string): Promise<BuildJob | null>;
  /** Oldest first. */
  listByState(state: BuildJobState, limit: number): Promise<BuildJob[]>;
  setState(deploymentId: string, state: BuildJobState): Promise<void>;
  /** Deployments of an app, newest first, with the total for paging. */
  deploymentPage(query: DeploymentPageQuery): Promise<{ items: Deployment[]; total: number }>;
}

/**
 * What the build queue reads and marks: jobs by state, oldest first. `deploymentId` is the job's
 * id: a deployment's, or an app build's (spec 003).
 */
export interface QueuedJobs {
  listByState(state: BuildJobState, limit: number): Promise<Array<Pick<BuildJob, 'deploymentId' | 'appId' | 'createdAt'>>>;
  setState(jobId: string, state: BuildJobState): Promise<void>;
}

export interface BuildLogRepository {
  append(deploymentId: string, lines: readonly BuildLogLine[]): Promise<void>;
  list(deploymentId: string, limit: number): Promise<BuildLogLine[]>;
}

export type UploadChanges = Partial<Pick<Upload, 'status' | 'sizeBytes' | 'sha256'>>;

export interface UploadRepository {
  create(upload: Upload): Promise<void>;
  byId(uploadId: string): Promise<Upload | null>;
  /** The app's newest upload that was completed (sha256 and size checked), if any. */
  latestComplete(appId: string): Promise<Upload | null>;
  /** Every upload of the app, newest first (retention reads them all, as it does revisions). */
  list(appId: string): Promise<Upload[]>;
  /** These uploads, those that have a record (the sweep asks about the tarballs on disk). */
  byIds(uploadIds: readonly string[]): Promise<Upload[]>;
  update(uploadId: string, changes: UploadChanges): Promise<void>;
}

export interface WebhookRepository {
  /** Replaces the app's secret. */
  setSecret(appId: string, secret: string, at: Date): Promise<void>;
  secret(appId: string): Promise<string | null>;
}

/** Appends lines to one deployment's build log; followers see them as they come. */
export interface BuildLog {
  line(text: string): void;
}

export interface BuildLogHub {
  writer(deploymentId: string): BuildLog;
  /** Flushes the log and tells followers it has ended. */
  close(deploymentId: string): Promise<void>;
  /**
   * Lines written so far that are not yet flushed or still in memory, and every later one, until close.
   * Returns null when no build of this deployment is writing (read the store instead).
   */
  follow(deploymentId: string, onLine: (line: BuildLogLine) => void, onEnd: () => void): { replay: BuildLogLine[]; stop(): void } | null;
  /** Makes sure a later writer's lines reach followers that attach before it starts. */
  expect(deploymentId: string): void;
  /** The lines held in memory for a build writing now (null when none is): some may not be stored yet. */
  unflushed(deploymentId: string): BuildLogLine[] | null;
}

export interface FetchedSource {
  /** The checked-out tree (the builder's scratch space). */
  dir: string;
  gitCommitSha: string | null;
  gitCommitMessage: string | null;
  /** The Dockerfile (relative to `dir`) to build with when the app names none and no other plan fits the tree; null or absent: none. */
  dockerfile?: string | null;
}

export interface BuiltArtifact {
  imageRef: string;
  /** argv run in the artifact to start the app. */
  command: string[];
  buildpack: string;
  /** The deployment's revision tree, already checked out from the artifact. */
  revisionDir: string;
}

/** The app's reserved resources; build steps get at least the operator's build floor. */
export interface AppLimits {
  memoryMi: number;
  cpuMillicores: number;
}

export interface BuildInput {
  deploymentId: string;
  appId: string;
  limits: AppLimits;
  tree: FetchedSource;
  dockerfilePath: string | null;
  /** Replaces the detected plan's build step (the app's buildCommand); null: as detected. */
  buildCommand: string | null;
  /** Runs in the artifact before traffic: what it needs stays in it (devDependencies are pruned only when nothing run there needs them). */
  releaseCommand: string | null;
  /** The app's env vars, given to install and build steps. */
  env: Readonly<Record<string, string>>;
  log: BuildLog;
  signal: AbortSignal;
  /** Told the buildpack as soon as the plan is known, before any step runs. */
  onPlan?: (buildpack: string) => void;
}

export interface ReleaseInput {
  appId: string;
  /** The release command runs within the app's own limits, like its instances. */
  limits: AppLimits;
  revisionDir: string;
  /** The app's release command, run in its sandbox. */
  command: string;
  env: Readonly<Record<string, string>>;
  log: BuildLog;
  /** Stops the command (the deployment was cancelled, or its app deleted). */
  signal: AbortSignal;
}

/** Gets a deployment's source: git URLs checked and cloned, uploads received, checked and extracted, snapshots written out. */
export interface SourceFetcher {
  /** Throws DomainError('invalid') for URLs Berth may not fetch (scheme, private networks). */
  checkGitUrl(url: string): Promise<void>;
  fetch(input: { deploymentId: string; source: BuildSource; log: BuildLog; signal: AbortSignal }): Promise<FetchedSource>;
  /** Writes the files of a snapshot (an app version's) into fresh scratch space, as fetch does a source. */
  materialize(input: { deploymentId: string; files: readonly { path: string; content: Buffer; executable?: boolean }[]; log: BuildLog }): Promise<FetchedSource>;
  /** Streams an upload's body to disk, at most `maxBytes`. */
  receiveUpload(uploadId: string, body: AsyncIterable<Uint8Array>, maxBytes: number): Promise<{ sizeBytes: number; sha256: string }>;
  /** Why a received upload is not a .tar.gz at all, or null (its entries are checked when it is extracted). */
  uploadProblem(uploadId: string): Promise<string | null>;
  /** Removes a received upload's bytes (it was refused, or its app purged). */
  discardUpload(uploadId: string): Promise<void>;
  /**
   * Whether a received upload's tarball is still there (a pruned one's is not), asked under the
   * lock its removal takes, so the answer holds for a deploy that pinned the upload first.
   */
  hasUpload(uploadId: string): Promise<boolean>;
  /** The uploads whose tarballs are on disk, by id (the periodic sweep starts from them). */
  storedUploads(): Promise<string[]>;
  /** Removes this deployment's scratch space; the dependency cache its build filled is saved now. */
  cleanup(deploymentId: string): Promise<void>;
}

/**
 * The tree builder, one of the two builder drivers (the other builds images: ports/images.ts):
 * builds a fetched tree by its detected plan into a content-addressed tree artifact, and runs
 * release commands in revision trees.
 */
export interface TreeBuilder {
  build(input: BuildInput): Promise<BuiltArtifact>;
  /** A fresh tree for one revision from a stored artifact; null when the artifact is no longer kept. */
  checkout(input: { imageRef: string; deploymentId: string }): Promise<string | null>;
  /** Runs the release command; resolves with the failure reason, or null on success. */
  release(input: ReleaseInput): Promise<string | null>;
  /** Removes what the builder keeps for an app (dependency and build caches, its stage directory): it was purged. */
  forgetApp(appId: string): Promise<void>;
  /** Whether a revision's tree is still there (a pruned revision's is not). */
  hasTree(revisionDir: string): Promise<boolean>;
  /**
   * Removes artifacts, revision trees and uploaded tarballs nothing keeps. Each is asked about just
   * before it goes, under the same lock as `checkout`, `hasTree` and `hasUpload`, so none of them
   * sees a half-removed one.
   */
  collectGarbage(keep: { imageRef(ref: string): boolean; revisionDir(dir: string): boolean; upload(uploadId: string): boolean }): Promise<void>;
  /**
   * Removes just these (one app's prune, the upload sweep): each unless `spare` says it is in use
   * (asked by image ref, tree path or upload id, under the same lock as above), a deployment in
   * flight here uses it, or it is younger than the grace period. What the builder does not store
   * (a directory a revision reuses as it is) is never removed.
   */
  removeOutput(items: PrunedOutput, spare: (key: string) => boolean): Promise<void>;
}

export interface PrunedOutput {
  imageRefs: Iterable<string>;
  revisionDirs: Iterable<string>;
  uploads: Iterable<string>;
  /**
   * Deployments and builds that have ended (by id): what the builder keeps for them goes, their
   * scratch space and the tree a build left, unless that tree is a kept revision's (asked by path).
   */
  jobs?: Iterable<string>;
}

/** What the core's `builder` is: sources in, tree artifacts out (one engine module implements both). */
export type Builder = SourceFetcher & TreeBuilder;

export interface BuildQueue {
  /** Look for queued builds now. */
  kick(): void;
  /** Aborts a running build; false when it is not running here. */
  cancel(deploymentId: string): boolean;
  /** Resolves once the job has ended here (at once when it is not running here). */
  finished(deploymentId: string): Promise<void>;
}

export type { BuildSource };
