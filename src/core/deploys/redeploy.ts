// Deployments that reuse an artifact instead of building: rollback (to an earlier successful
// deployment's artifact, rolledBackFrom set) and env-var sync (the serving revision's artifact
// with the current env). Both run the release command and roll out like any deploy; the call
// answers at once with the deployment in `deploying`. Neither builds: they carry the reused
// revision's commit and buildpack, and say which revision they reuse.
import type { App } from '../../domain/app.js';
import type { Deployment, TriggerType } from '../../domain/deployment.js';
import { DomainError, notFound } from '../../domain/errors.js';
import type { Revision, RevisionProvenance } from '../../domain/revision.js';
import type { Principal } from '../../domain/workspace.js';
import { findApp } from '../apps/find-app.js';
import type { AppRef } from '../apps/find-app.js';
import { authorize } from '../authorize.js';
import type { Deps } from '../deps.js';
import { getDeployment } from '../revisions/get-deployment.js';
import { deployStoredArtifact } from './deploy-stored-artifact.js';

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
  const { revision } = input;
  return deployStoredArtifact(deps, {
    app: input.app,
    artifact: { imageRef: revision.imageRef, kind: revision.artifactKind, dir: revision.artifactDir, command: revision.config.command, exposedPort: revision.config.exposedPort ?? null, registryAuthRef: revision.config.registryAuthRef ?? null, label: revision.name },
    provenance: provenanceOf(revision, input.from),
    triggerType: input.triggerType,
    reusedRevision: revision.name,
    rolledBackFrom: input.rolledBackFrom,
    buildId: null,
    actor: input.actor,
    audit: { action: input.triggerType === 'ROLLBACK' ? 'deploy.rollback' : 'deploy.env_sync', detail: { from: revision.name } },
    start: 'now',
  });
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
