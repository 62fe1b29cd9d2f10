// POST /deploy: a deployment row and a build job, queued; the build queue takes it from there.
// Without a source in the call, the app's configured source is deployed: its git branch (or an
// exact commit, which wins), its last completed upload (409 when its tarball was pruned), or its
// image (pulled by the container engine; refused at once, saying how to enable one, when Berth has none).
import { deployableProblem } from '../../domain/app.js';
import type { App } from '../../domain/app.js';
import { branchProblem, commitShaProblem } from '../../domain/build.js';
import type { BuildSource } from '../../domain/build.js';
import { newDeployment } from '../../domain/deployment.js';
import type { Deployment, TriggerType } from '../../domain/deployment.js';
import { DomainError, refuse } from '../../domain/errors.js';
import { prunedUploadMessage } from '../../domain/upload-retention.js';
import { field, hint, say, sourceWord } from '../../domain/wording.js';
import type { Principal } from '../../domain/workspace.js';
import { findApp } from '../apps/find-app.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Deps } from '../deps.js';
import { namedCredential } from '../registry-credentials/manage-registry-credentials.js';
import { noContainerEngine } from './deploy-image.js';

export interface SourceOverride {
  type: 'GIT' | 'UPLOAD' | 'IMAGE';
  uploadId?: string;
  imageRef?: string;
  /** Names a registry credential of the workspace (else the app's imageRegistryAuthRef). */
  registryAuthRef?: string;
}

export interface TriggerDeployInput {
  actor: Principal;
  workspaceId: string;
  appId: string;
  gitBranch?: string;
  gitCommitSha?: string;
  source?: SourceOverride;
  triggerType?: TriggerType;
}

const noGitRepository = say`This app has no git repository: set ${field('gitRepoUrl')}, or ${hint('deployAnUpload')}`;

async function gitSource(deps: Deps, app: App, input: { gitBranch?: string; gitCommitSha?: string }): Promise<BuildSource> {
  if (!app.gitRepoUrl) throw new DomainError('invalid', noGitRepository);
  const branch = input.gitBranch?.trim() || app.gitBranch;
  refuse([branchProblem(branch), input.gitCommitSha ? commitShaProblem(input.gitCommitSha) : null].filter((p) => p !== null));
  await deps.builder.checkGitUrl(app.gitRepoUrl);
  return { type: 'GIT', url: app.gitRepoUrl, branch, commitSha: input.gitCommitSha?.toLowerCase() ?? null };
}

/** The upload named, or else the app's last completed one. */
async function chosenUpload(deps: Deps, app: App, uploadId: string | undefined): Promise<string> {
  if (!uploadId) {
    const last = await deps.store.uploads.latestComplete(app.id);
    if (!last) {
      throw new DomainError(
        'invalid',
        app.gitRepoUrl
          ? say`${field('uploadId')} is required for an ${sourceWord('UPLOAD')} source: this app has no completed upload yet`
          : say`${field('uploadId')} is required for an ${sourceWord('UPLOAD')} source: this app has no completed upload yet, or ${hint('setGitRepository')}`,
      );
    }
    return last.id;
  }
  const upload = await deps.store.uploads.byId(uploadId);
  if (!upload || upload.appId !== app.id) throw new DomainError('not_found', 'Upload not found');
  if (upload.status !== 'complete') throw new DomainError('conflict', 'The upload is not complete: PUT the tarball, then call complete');
  return uploadId;
}

/**
 * Queues a build of an upload whose tarball is still kept (BERTH_KEEP_REVISIONS). The upload is
 * pinned from before its tarball is looked for until the deployment is stored: a prune running
 * meanwhile spares it, and a later one sees the deployment in flight that keeps it.
 */
async function uploadDeployment(deps: Deps, app: App, input: Pick<TriggerDeployInput, 'source' | 'triggerType' | 'actor'>): Promise<Deployment> {
  const uploadId = await chosenUpload(deps, app, input.source?.uploadId);
  const release = deps.pins.hold([uploadId]);
  try {
    if (!(await deps.builder.hasUpload(uploadId))) throw new DomainError('conflict', prunedUploadMessage(uploadId));
    return await queueBuild(deps, { app, source: { type: 'UPLOAD', uploadId }, triggerType: input.triggerType ?? 'MANUAL', actor: input.actor });
  } finally {
    release();
  }
}

/** Queues a build of `source` for `app` (shared by the API trigger and the webhook). */
export async function queueBuild(
  deps: Deps,
  input: { app: App; source: BuildSource; triggerType: TriggerType; actor: Principal | null },
): Promise<Deployment> {
  const now = deps.clock.now();
  const deployment = newDeployment({
    id: deps.ids('deployment'),
    appId: input.app.id,
    workspaceId: input.app.workspaceId,
    status: 'queued',
    stage: 'queued',
    triggerType: input.triggerType,
    gitBranch: input.source.type === 'GIT' ? input.source.branch : null,
    gitCommitSha: input.source.type === 'GIT' ? input.source.commitSha : null,
    createdAt: now,
  });
  await deps.store.builds.enqueue(deployment, { deploymentId: deployment.id, appId: input.app.id, source: input.source, state: 'queued', createdAt: now });
  await recordAudit(deps, {
    actor: input.actor,
    workspaceId: input.app.workspaceId,
    appId: input.app.id,
    action: 'deploy.trigger',
    targetType: 'deployment',
    targetId: deployment.id,
    detail: { appId: input.app.id, source: input.source.type, triggerType: input.triggerType },
  });
  deps.buildQueue.kick();
  return deployment;
}

/** An image deployment without an engine fails at once, in its source stage, saying how to enable one. */
async function refusedImageDeployment(deps: Deps, app: App, input: Pick<TriggerDeployInput, 'source' | 'triggerType' | 'actor'>): Promise<Deployment> {
  const now = deps.clock.now();
  const deployment = newDeployment({
    id: deps.ids('deployment'),
    appId: app.id,
    workspaceId: app.workspaceId,
    status: 'failed',
    stage: 'fetching',
    triggerType: input.triggerType ?? 'MANUAL',
    imageRef: input.source?.imageRef ?? app.imageRef,
    error: noContainerEngine,
    startedAt: now,
    finishedAt: now,
    createdAt: now,
  });
  await deps.store.deployments.create(deployment);
  const image = input.source?.imageRef ?? app.imageRef ?? 'the image';
  await recordAudit(deps, {
    actor: input.actor,
    workspaceId: app.workspaceId,
    appId: app.id,
    action: 'deploy.trigger',
    targetType: 'deployment',
    targetId: deployment.id,
    detail: { appId: app.id, source: 'IMAGE', image, triggerType: deployment.triggerType },
  });
  deps.events.record({ appId: app.id, type: 'Warning', reason: 'Failed', message: `Failed to pull ${image}: ${noContainerEngine}`, object: { kind: 'Deployment', name: deployment.id } });
  const log = deps.buildLogs.writer(deployment.id);
  log.line(`[deploy] ${image}: ${noContainerEngine}`);
  await deps.buildLogs.close(deployment.id);
  return deployment;
}

/** The image named (or the app's), and the credential named (or the app's), which must exist: queued like a build. */
async function imageDeployment(deps: Deps, app: App, input: Pick<TriggerDeployInput, 'source' | 'triggerType' | 'actor'>): Promise<Deployment> {
  const registryAuthRef = input.source?.registryAuthRef?.trim() || app.imageRegistryAuthRef;
  if (registryAuthRef) await namedCredential(deps, app.workspaceId, registryAuthRef);
  if (!deps.images) return refusedImageDeployment(deps, app, input);
  const imageRef = input.source?.imageRef?.trim() || app.imageRef;
  if (!imageRef) throw new DomainError('invalid', say`${field('imageRef')} is required for an ${sourceWord('IMAGE')} source`);
  return queueBuild(deps, { app, source: { type: 'IMAGE', imageRef, registryAuthRef: registryAuthRef ?? null }, triggerType: input.triggerType ?? 'MANUAL', actor: input.actor });
}

export async function triggerDeploy(deps: Deps, input: TriggerDeployInput): Promise<Deployment> {
  const app = await findApp(deps, input, 'deploy:write');
  return deployApp(deps, { ...input, app });
}

/**
 * Deploys the app from its configured source (or the one given): git, the branch's latest commit
 * (or the one named); upload, the one named or else the last one completed; image, the image again.
 */
export async function deployApp(deps: Deps, input: Omit<TriggerDeployInput, 'workspaceId' | 'appId'> & { app: App }): Promise<Deployment> {
  const { app } = input;
  const problem = deployableProblem(app);
  if (problem) throw new DomainError('invalid', problem);
  const type = input.source?.type ?? app.sourceType;
  if (type === 'IMAGE') return imageDeployment(deps, app, input);
  if (type === 'UPLOAD') return uploadDeployment(deps, app, input);
  return queueBuild(deps, { app, source: await gitSource(deps, app, input), triggerType: input.triggerType ?? 'MANUAL', actor: input.actor });
}
