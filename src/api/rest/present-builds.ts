// Builds and deploys in the REST dialect's (spec 003) words: the core's statuses mapped to
// pending|running|completed|failed and its triggers to auto|manual|rollback. These tables stay
// here, not in ../dialect-words.ts: the spec folds several core values into one word, so they
// cannot be read back, which that table promises. Builds are Berth's addition, so their words
// add `cancelled`; the deploy row is the spec's, whose closest word is `failed` (reason in `error`).
import type { CoreSettings } from '../../core/deps.js';
import type { NumberedDeployment } from '../../core/deploys/numbered-deployments.js';
import type { AppBuild, AppBuildStatus } from '../../domain/app-build.js';
import type { DeploymentStatus, TriggerType } from '../../domain/deployment.js';
import { takesHttp } from '../../domain/app-kind-facts.js';
import { appUrl } from '../../domain/names.js';

type RunStatus = 'pending' | 'running' | 'completed' | 'failed';
type BuildStatus = RunStatus | 'cancelled';

const buildStatus: Record<AppBuildStatus, BuildStatus> = { queued: 'pending', running: 'running', succeeded: 'completed', failed: 'failed', cancelled: 'cancelled' };
const deployStatus: Record<DeploymentStatus, RunStatus> = {
  queued: 'pending',
  building: 'running',
  deploying: 'running',
  succeeded: 'completed',
  failed: 'failed',
  cancelled: 'failed',
};
const trigger: Record<TriggerType, 'auto' | 'manual' | 'rollback'> = { MANUAL: 'manual', ROLLBACK: 'rollback', WEBHOOK: 'auto', AUTO_DEPLOY: 'auto', ENV_CHANGE: 'auto' };

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export const presentBuildStatus = (status: AppBuildStatus): BuildStatus => buildStatus[status];

export function presentBuild(build: AppBuild) {
  return {
    id: build.id,
    appId: build.appId,
    workspaceId: build.workspaceId,
    versionId: build.versionId,
    status: buildStatus[build.status],
    error: build.error,
    artifactDigest: build.imageRef,
    buildpack: build.buildpack,
    sourceDigest: build.sourceDigest,
    fileCount: build.fileCount,
    logUrl: `/api/apps/${build.appId}/builds/${build.id}/log`,
    createdBy: build.createdBy,
    createdAt: build.createdAt.toISOString(),
    startedAt: iso(build.startedAt),
    completedAt: iso(build.finishedAt),
  };
}

export function presentDeploy({ app, deployment: d, sequenceNumber }: NumberedDeployment, urls: Pick<CoreSettings, 'baseDomain' | 'edgePort' | 'edgeScheme'>) {
  return {
    id: d.id,
    workspaceId: d.workspaceId,
    entityId: d.appId,
    sequenceNumber,
    buildId: d.buildId,
    // Waiting for its rollout to start (behind the app's earlier deploy) is still `pending`.
    status: d.stage === 'queued' && d.status === 'deploying' ? 'pending' : deployStatus[d.status],
    trigger: trigger[d.triggerType],
    sourceEventId: null,
    // A worker or cron app takes no HTTP requests, so no URL leads to it.
    productionUrl: d.status === 'succeeded' && takesHttp(app.type) ? appUrl(app.slug, urls.baseDomain, urls.edgePort, urls.edgeScheme) : null,
    previewUrl: null,
    error: d.error,
    metadata: { revisionName: d.revisionName, artifactDigest: d.imageRef, stage: d.stage },
    createdBy: d.createdBy,
    startedAt: iso(d.startedAt),
    completedAt: iso(d.finishedAt),
    createdAt: d.createdAt.toISOString(),
  };
}
