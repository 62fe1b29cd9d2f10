// A build of an app version (spec 003): a snapshot of the version's files, taken when the build
// is asked for, turned into an artifact by the builder without rolling it out. Deploying it is a
// separate step (a deployment with `buildId`).
export const appBuildStatuses = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type AppBuildStatus = (typeof appBuildStatuses)[number];

export const terminalAppBuildStatuses: readonly AppBuildStatus[] = ['succeeded', 'failed', 'cancelled'];

export interface AppBuild {
  id: string;
  appId: string;
  workspaceId: string;
  versionId: string;
  status: AppBuildStatus;
  error: string | null;
  /** sha256 over the snapshot's paths and contents, set when the build starts. */
  sourceDigest: string | null;
  fileCount: number;
  /** The artifact (`sha256:…`) once it succeeded. */
  imageRef: string | null;
  /** argv that starts the artifact. */
  command: string[] | null;
  buildpack: string | null;
  createdBy: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

/** Why a build someone cancelled did not finish. */
export const cancelledBuildReason = 'Cancelled on request';

/** Why a build that was running when Berth stopped did not finish. */
export const interruptedBuildReason = 'Interrupted: Berth restarted while this build was in progress';
