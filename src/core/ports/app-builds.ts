// What builds of app versions (spec 003) need from the store: the builds, each with a snapshot
// of its version's files taken in the same transaction, and the queue's view of them.
import type { AppBuild, AppBuildStatus } from '../../domain/app-build.js';
import type { QueuedJobs } from './builds.js';

export type AppBuildChanges = Partial<Pick<AppBuild, 'status' | 'error' | 'sourceDigest' | 'imageRef' | 'command' | 'buildpack' | 'startedAt' | 'finishedAt'>>;

export interface SnapshotFile {
  path: string;
  content: Buffer;
  /** Written 0755, else 0644. */
  executable: boolean;
}

export interface AppBuildRepository {
  /** Stores the build and a copy of its version's files, together; the build's `fileCount` is what was copied. */
  create(build: AppBuild): Promise<AppBuild>;
  byId(buildId: string): Promise<AppBuild | null>;
  /** An app's builds, newest first (of one version when given). */
  list(appId: string, query: { versionId?: string; limit: number }): Promise<AppBuild[]>;
  latestSucceeded(appId: string, versionId: string): Promise<AppBuild | null>;
  /** Applies the changes only while the build has not ended (and, given `from`, is in one of those statuses). */
  updateIfActive(buildId: string, changes: AppBuildChanges, from?: readonly AppBuildStatus[]): Promise<boolean>;
  /** Builds waiting or running, oldest first (the build queue's jobs). */
  listByStatus(status: 'queued' | 'running', limit: number): Promise<AppBuild[]>;
  snapshot(buildId: string): Promise<SnapshotFile[]>;
  /** The snapshot is not needed once the build has ended. */
  dropSnapshot(buildId: string): Promise<void>;
  /** Artifacts of each live app's newest successful builds, `perApp` of them (kept from garbage collection). */
  keptImageRefs(perApp: number): Promise<Set<string>>;
  /** The same, of these apps only (one app's prune, and the apps sharing its artifacts). */
  keptImageRefsOf(appIds: readonly string[], perApp: number): Promise<Set<string>>;
  /** The apps (live or not) with a build of any of these artifacts. */
  appIdsUsing(imageRefs: readonly string[]): Promise<string[]>;
}

export type { QueuedJobs };
