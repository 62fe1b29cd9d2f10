// Deployments that reuse an artifact instead of building: rollback (to an earlier successful
// deployment's artifact, rolledBackFrom set) and env-var sync (the serving revision's artifact
// with the current env). Both run the release command and roll out like any deploy; the call
// answers at once with the deployment in `deploying`. Neither builds: they carry the reused
// revision's commit and buildpack, and say which revision they reuse.
import { deployableProblem } from '../../domain/app.js';
import type { App } from '../../domain/app.js';
import { newDeployment } from '../../domain/deployment.js';
import type { Deployment, TriggerType } from '../../domain/deployment.js';
import { artifactHex } from '../../domain/build.js';
import { DomainError, notFound } from '../../domain/errors.js';
import type { Revision, RevisionProvenance } from '../../domain/revision.js';
import type { Principal } from '../../domain/workspace.js';
import { findApp } from '../apps/find-app.js';
import type { AppRef } from '../apps/find-app.js';
import { recordAudit } from '../audit/record-audit.js';
import { authorize } from '../authorize.js';
import type { Deps } from '../deps.js';
import { getDeployment } from '../revisions/get-deployment.js';
import { failDeployment, rollOut } from './roll-out.js';

interface RedeployInput {
  app: App;
  revision: Revision;
  triggerType: TriggerType;
  /** Where the artifact's code came from when the revision does not say (revisions stored before it did). */
  from: Deployment | null;
  rolledBackFrom: string | null;
  actor: Principal;
}

function provenanceOf(revision: Revision, from: Deployment | null): RevisionProvenance {
  return (
    revision.provenance ?? {
      gitBranch: from?.gitBranch ?? null,
      gitCommitSha: from?.gitCommitSha ?? null,
      gitCommitMessage: from?.gitCommitMessage ?? null,
      buildpack: from?.buildpack ?? null,
    }
  );
}

async function redeploy(deps: Deps, input: RedeployInput): Promise<Deployment> {
  const problem = deployableProblem(input.app);
  if (problem) throw new DomainError('invalid', problem);
  const now = deps.clock.now();
  const deploymentId = deps.ids('deployment');
  const provenance = provenanceOf(input.revision, input.from);
  const deployment = newDeployment({
    id: deploymentId,
    appId: input.app.id,
    workspaceId: input.app.workspaceId,
    status: 'deploying',
    stage: 'releasing',
    triggerType: input.triggerType,
    ...provenance,
    imageRef: input.revision.imageRef,
    reusedRevision: input.revision.name,
    rolledBackFrom: input.rolledBackFrom,
    startedAt: now,
    createdAt: now,
  });
  // A stored artifact gets a fresh tree; one Berth did not build (a directory) is reused as it is;
  // an image is pinned by digest and needs no tree.
  const image = input.revision.artifactKind === 'image';
  const stored = !image && artifactHex(input.revision.imageRef) !== null;
  const revisionDir = stored ? await deps.builder.checkout({ imageRef: input.revision.imageRef, deploymentId }) : input.revision.artifactDir;
  if (!image && !revisionDir) throw new DomainError('conflict', `The artifact ${input.revision.imageRef} of ${input.revision.name} is no longer kept`);
  await deps.store.deployments.create(deployment);
  await recordAudit(deps, {
    actor: input.actor,
    workspaceId: input.app.workspaceId,
    appId: input.app.id,
    action: input.triggerType === 'ROLLBACK' ? 'deploy.rollback' : 'deploy.env_sync',
    targetType: 'deployment',
    targetId: deploymentId,
    detail: { appId: input.app.id, from: input.revision.name },
  });
  const log = deps.buildLogs.writer(deploymentId);
  log.line(`[deploy] ${input.triggerType} deployment reusing the artifact of ${input.revision.name} (${input.revision.imageRef})`);
  const own = deps.signals.open(deploymentId, input.app.id);
  const run = rollOut(deps, {
    deploymentId,
    app: input.app,
    revisionDir: revisionDir ?? '',
    artifactKind: input.revision.artifactKind,
    exposedPort: input.revision.config.exposedPort ?? null,
    imageRef: input.revision.imageRef,
    command: input.revision.config.command,
    provenance,
    triggerType: input.triggerType,
    rolledBackFrom: input.rolledBackFrom,
    log,
    signal: own.signal,
  });
  void run
    .catch(async () => {
      log.line('[deploy] internal error during the rollout');
      await failDeployment(deps, { deploymentId, app: input.app, reason: 'Rollout failed: an internal error stopped it (see the Berth log)' });
    })
    .catch(() => undefined) // the store itself is failing: a restart fails the deployment
    .finally(() => {
      own.close();
      return deps.buildLogs.close(deploymentId);
    });
  return deployment;
}

export async function rollbackDeployment(deps: Deps, input: { actor: Principal; workspaceId: string; deploymentId: string }): Promise<Deployment> {
  authorize(input.actor, input.workspaceId, 'deploy:write');
  const target = await getDeployment(deps, { ...input, scope: 'deploy:write' });
  if (target.status !== 'succeeded' || !target.revisionName) {
    throw new DomainError('conflict', 'Only a succeeded deployment can be rolled back to');
  }
  const app = (await deps.store.apps.byId(target.appId)) ?? notFound('App');
  const revision = (await deps.store.revisions.find(app.id, target.revisionName)) ?? notFound('Revision');
  return redeploy(deps, { app, revision, triggerType: 'ROLLBACK', from: target, rolledBackFrom: target.id, actor: input.actor });
}

export async function syncEnvVars(deps: Deps, input: AppRef): Promise<Deployment> {
  const app = await findApp(deps, input, 'env-vars:write');
  const splits = await deps.store.traffic.get(app.id);
  const serving = [...splits].sort((a, b) => b.percent - a.percent)[0];
  if (!serving) throw new DomainError('conflict', 'The app has no serving revision yet: deploy it first');
  const revision = (await deps.store.revisions.byId(serving.revisionId)) ?? notFound('Revision');
  const latest = await deps.store.deployments.latestSucceeded(app.id);
  const from = latest?.revisionName === revision.name ? latest : null;
  return redeploy(deps, { app, revision, triggerType: 'ENV_CHANGE', from, rolledBackFrom: null, actor: input.actor });
}
