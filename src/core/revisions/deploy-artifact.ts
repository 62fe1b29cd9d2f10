// The rollout (DESIGN.md): a deployment row first, then a revision with the app's current env,
// its instances started and probed, traffic switched to it atomically only once they are ready,
// and the old revision drained by the reconciler. A revision that never becomes ready never
// gets traffic; the previous one keeps serving.
import type { Deployment, TriggerType } from '../../domain/deployment.js';
import { DomainError, notFound } from '../../domain/errors.js';
import { revisionName } from '../../domain/names.js';
import type { Revision } from '../../domain/revision.js';
import { appReplicaCount } from './replica-count.js';
import type { Deps } from '../deps.js';

export interface ArtifactInput {
  appId: string;
  /** The tree the instances run in. */
  artifactDir: string;
  /** argv to start the app inside the tree. */
  command: string[];
  imageRef: string;
  triggerType: TriggerType;
  buildpack?: string | null;
  gitBranch?: string | null;
  gitCommitSha?: string | null;
  gitCommitMessage?: string | null;
  rolledBackFrom?: string | null;
  /** An existing deployment row to complete (builds create it earlier); else one is created. */
  deploymentId?: string;
}

export interface DeployResult {
  deployment: Deployment;
  revision: Revision | null;
}

export async function deployArtifact(deps: Deps, input: ArtifactInput): Promise<DeployResult> {
  const app = (await deps.store.apps.byId(input.appId)) ?? notFound('App');
  const started = deps.clock.now();
  const deploymentId = input.deploymentId ?? deps.ids('deployment');
  if (!input.deploymentId) {
    await deps.store.deployments.create({
      id: deploymentId,
      appId: app.id,
      workspaceId: app.workspaceId,
      status: 'deploying',
      triggerType: input.triggerType,
      gitBranch: input.gitBranch ?? null,
      gitCommitSha: input.gitCommitSha ?? null,
      gitCommitMessage: input.gitCommitMessage ?? null,
      buildpack: input.buildpack ?? null,
      imageRef: input.imageRef,
      revisionName: null,
      rolledBackFrom: input.rolledBackFrom ?? null,
      error: null,
      startedAt: started,
      finishedAt: null,
      createdAt: started,
    });
  }
  const env = Object.fromEntries((await deps.store.envVars.list(app.id)).map((v) => [v.key, v.value]));
  const revision = await deps.store.revisions.create(
    {
      id: deps.ids('revision'),
      appId: app.id,
      imageRef: input.imageRef,
      artifactDir: input.artifactDir,
      config: {
        command: input.command,
        listens: app.type === 'web' || app.type === 'api',
        readinessPath: app.readinessPath,
        readinessType: app.readinessType,
        cpuLimitMillicores: app.cpuLimitMillicores,
        memoryLimitMi: app.memoryLimitMi,
      },
      env,
      status: 'pending',
      statusMessage: null,
      createdAt: started,
      lastServedAt: null,
    },
    (sequence) => revisionName(app.slug, sequence),
  );
  await deps.store.deployments.update(deploymentId, { status: 'deploying', revisionName: revision.name, imageRef: input.imageRef });
  if (app.type === 'cron') return finish(deps, { deploymentId, revision, appId: app.id, ok: true, error: null });

  const replicas = Math.max(1, appReplicaCount(app));
  try {
    await withTimeout(deps.orchestrator.warm(revision.id, replicas), deps.settings.readyTimeoutMs);
  } catch (error) {
    const reason = `revision ${revision.name} did not become ready: ${error instanceof Error ? error.message : String(error)}`;
    await deps.store.revisions.setStatus(revision.id, 'failed', reason);
    await deps.orchestrator.reconcileNow();
    return finish(deps, { deploymentId, revision, appId: app.id, ok: false, error: reason });
  }
  return finish(deps, { deploymentId, revision, appId: app.id, ok: true, error: null });
}

async function finish(
  deps: Deps,
  input: { deploymentId: string; revision: Revision; appId: string; ok: boolean; error: string | null },
): Promise<DeployResult> {
  const now = deps.clock.now();
  // Deployments triggered later win: one that finishes after a newer one went live (a slow build
  // after a rollback, say) keeps its ready revision for a manual promote but takes no traffic.
  const newer = input.ok ? await deps.store.deployments.latestSucceeded(input.appId) : null;
  const superseded = newer !== null && newer.id > input.deploymentId;
  if (input.ok && !superseded) {
    await deps.store.revisions.setStatus(input.revision.id, 'ready', null);
    const previous = await deps.store.traffic.get(input.appId);
    await deps.store.traffic.set(input.appId, [{ revisionId: input.revision.id, revisionName: input.revision.name, percent: 100, tag: null }], now);
    await deps.store.revisions.markServed([input.revision.id, ...previous.map((s) => s.revisionId)], now);
    const app = await deps.store.apps.byId(input.appId);
    if (app && app.replicas !== 0) await deps.store.apps.setStatus(input.appId, 'active', now);
    await deps.orchestrator.reconcileNow();
  } else if (superseded) {
    await deps.store.revisions.setStatus(input.revision.id, 'ready', null);
    await deps.orchestrator.reconcileNow();
  } else {
    const hasTraffic = (await deps.store.traffic.get(input.appId)).length > 0;
    if (!hasTraffic) await deps.store.apps.setStatus(input.appId, 'failed', now);
  }
  await deps.store.deployments.update(input.deploymentId, {
    status: superseded ? 'cancelled' : input.ok ? 'succeeded' : 'failed',
    error: superseded ? `Superseded: ${newer?.id ?? 'a newer deployment'}, triggered later, went live first; ${input.revision.name} is ready to promote` : input.error,
    finishedAt: now,
  });
  const deployment = (await deps.store.deployments.byId(input.deploymentId)) ?? notFound('Deployment');
  return { deployment, revision: { ...input.revision, status: input.ok ? 'ready' : 'failed' } };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new DomainError('unavailable', `not ready within ${Math.round(ms / 1000)} s`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
