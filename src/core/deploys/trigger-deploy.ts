// POST /deploy: a deployment row and a build job, queued; the build queue takes it from there.
// The source is the app's git repository (a branch, or an exact commit which wins), an upload,
// or an image (refused plainly until a container engine driver exists).
import type { App } from '../../domain/app.js';
import { branchProblem, commitShaProblem } from '../../domain/build.js';
import type { BuildSource } from '../../domain/build.js';
import type { Deployment, TriggerType } from '../../domain/deployment.js';
import { DomainError } from '../../domain/errors.js';
import type { Principal } from '../../domain/workspace.js';
import { findApp } from '../apps/find-app.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Deps } from '../deps.js';

export interface SourceOverride {
  type: 'GIT' | 'UPLOAD' | 'IMAGE';
  uploadId?: string;
  imageRef?: string;
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

export const noContainerEngine =
  'IMAGE sources need a container engine driver; this Berth runs apps as processes and has no container engine driver yet';

async function gitSource(deps: Deps, app: App, input: { gitBranch?: string; gitCommitSha?: string }): Promise<BuildSource> {
  if (!app.gitRepoUrl) {
    throw new DomainError('invalid', 'This app has no git repository: set gitRepoUrl, or deploy an upload with source { type: "UPLOAD", uploadId }');
  }
  const branch = input.gitBranch?.trim() || app.gitBranch;
  const problems = [branchProblem(branch), input.gitCommitSha ? commitShaProblem(input.gitCommitSha) : null].filter((p): p is string => p !== null);
  if (problems.length > 0) throw new DomainError('invalid', problems[0] ?? 'invalid', problems);
  await deps.builder.checkGitUrl(app.gitRepoUrl);
  return { type: 'GIT', url: app.gitRepoUrl, branch, commitSha: input.gitCommitSha?.toLowerCase() ?? null };
}

async function uploadSource(deps: Deps, app: App, uploadId: string | undefined): Promise<BuildSource> {
  if (!uploadId) {
    throw new DomainError('invalid', app.gitRepoUrl ? 'source.uploadId is required for an UPLOAD source' : 'This app has no git repository: set gitRepoUrl, or deploy an upload with source { type: "UPLOAD", uploadId }');
  }
  const upload = await deps.store.uploads.byId(uploadId);
  if (!upload || upload.appId !== app.id) throw new DomainError('not_found', 'Upload not found');
  if (upload.status !== 'complete') throw new DomainError('conflict', 'The upload is not complete: PUT the tarball, then call complete');
  return { type: 'UPLOAD', uploadId };
}

/** Queues a build of `source` for `app` (shared by the API trigger and the webhook). */
export async function queueBuild(
  deps: Deps,
  input: { app: App; source: BuildSource; triggerType: TriggerType; actor: Principal | null },
): Promise<Deployment> {
  const now = deps.clock.now();
  const deployment: Deployment = {
    id: deps.ids('deployment'),
    appId: input.app.id,
    workspaceId: input.app.workspaceId,
    status: 'queued',
    triggerType: input.triggerType,
    gitBranch: input.source.type === 'GIT' ? input.source.branch : null,
    gitCommitSha: input.source.type === 'GIT' ? input.source.commitSha : null,
    gitCommitMessage: null,
    buildpack: null,
    imageRef: null,
    revisionName: null,
    rolledBackFrom: null,
    error: null,
    startedAt: null,
    finishedAt: null,
    createdAt: now,
  };
  await deps.store.builds.enqueue(deployment, { deploymentId: deployment.id, appId: input.app.id, source: input.source, state: 'queued', createdAt: now });
  await recordAudit(deps, {
    actor: input.actor,
    workspaceId: input.app.workspaceId,
    action: 'deploy.trigger',
    targetType: 'deployment',
    targetId: deployment.id,
    detail: { appId: input.app.id, source: input.source.type, triggerType: input.triggerType },
  });
  deps.buildQueue.kick();
  return deployment;
}

async function imageDeployment(deps: Deps, app: App, input: TriggerDeployInput): Promise<Deployment> {
  const now = deps.clock.now();
  const deployment: Deployment = {
    id: deps.ids('deployment'),
    appId: app.id,
    workspaceId: app.workspaceId,
    status: 'failed',
    triggerType: input.triggerType ?? 'MANUAL',
    gitBranch: null,
    gitCommitSha: null,
    gitCommitMessage: null,
    buildpack: null,
    imageRef: input.source?.imageRef ?? app.imageRef,
    revisionName: null,
    rolledBackFrom: null,
    error: noContainerEngine,
    startedAt: now,
    finishedAt: now,
    createdAt: now,
  };
  await deps.store.deployments.create(deployment);
  const log = deps.buildLogs.writer(deployment.id);
  log.line(`[deploy] ${noContainerEngine}`);
  await deps.buildLogs.close(deployment.id);
  return deployment;
}

export async function triggerDeploy(deps: Deps, input: TriggerDeployInput): Promise<Deployment> {
  const app = await findApp(deps, input, 'deploy:write');
  const type = input.source?.type ?? app.sourceType;
  if (type === 'IMAGE') return imageDeployment(deps, app, input);
  const source = type === 'UPLOAD' && (input.source || !app.gitRepoUrl) ? await uploadSource(deps, app, input.source?.uploadId) : await gitSource(deps, app, input);
  return queueBuild(deps, { app, source, triggerType: input.triggerType ?? 'MANUAL', actor: input.actor });
}
