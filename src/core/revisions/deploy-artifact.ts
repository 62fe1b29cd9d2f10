// The rollout (DESIGN.md): a deployment row first, then a revision with the app's current env,
// its instances started and probed, traffic switched to it atomically only once they are ready,
// and the old revision drained by the reconciler. A revision that never becomes ready never
// gets traffic; the previous one keeps serving. A deleted app's deployment ends cancelled and
// moves no traffic.
import type { App } from '../../domain/app.js';
import { liveMessage, nextRunOf } from '../../domain/app-kind.js';
import type { ArtifactKind } from '../../domain/artifact.js';
import { appDeletedReason, isTerminal, newDeployment } from '../../domain/deployment.js';
import type { Deployment, TriggerType } from '../../domain/deployment.js';
import { notFound } from '../../domain/errors.js';
import { revisionName } from '../../domain/names.js';
import { allTrafficTo } from '../../domain/revision.js';
import type { Revision, RevisionProvenance } from '../../domain/revision.js';
import type { Deps } from '../deps.js';
import { abortOutcome } from '../deploys/deployment-signals.js';
import { appEnv } from '../env-vars/app-env.js';

export interface ArtifactInput {
  appId: string;
  /** The tree the instances run in ('' for an image). */
  artifactDir: string;
  /** A tree Berth built (default), or an image: then `imageRef` is pinned by digest. */
  artifactKind?: ArtifactKind;
  /** Where an image says it listens (EXPOSE). */
  exposedPort?: number | null;
  /** The registry credential (by name) an image is pulled with, whenever an instance starts; absent: anonymous. */
  registryAuthRef?: string | null;
  /** argv to start the app inside the tree. */
  command: string[];
  imageRef: string;
  triggerType: TriggerType;
  provenance?: RevisionProvenance;
  rolledBackFrom?: string | null;
  /** An existing deployment row to complete (builds create it earlier); else one is created. */
  deploymentId?: string;
  /** Aborted when the deployment must stop (its app was deleted). */
  signal?: AbortSignal;
}

export interface DeployResult {
  deployment: Deployment;
  revision: Revision | null;
  /** What went live, as the app's kind has it (web: traffic; worker: instances; cron: its schedule); set when it succeeded. */
  liveMessage?: string;
}

const noProvenance: RevisionProvenance = { gitBranch: null, gitCommitSha: null, gitCommitMessage: null, buildpack: null };

export async function deployArtifact(deps: Deps, input: ArtifactInput): Promise<DeployResult> {
  // A restart asked meanwhile waits for the end, so it restarts what serves then, not the revision being replaced.
  const ended = deps.signals.rollingOut(input.appId);
  try {
    return await rollOutArtifact(deps, input);
  } finally {
    ended();
  }
}

async function rollOutArtifact(deps: Deps, input: ArtifactInput): Promise<DeployResult> {
  const app = (await deps.store.apps.byId(input.appId)) ?? notFound('App');
  const started = deps.clock.now();
  const deploymentId = input.deploymentId ?? deps.ids('deployment');
  const provenance = input.provenance ?? noProvenance;
  if (!input.deploymentId) {
    await deps.store.deployments.create(
      newDeployment({
        id: deploymentId,
        appId: app.id,
        workspaceId: app.workspaceId,
        status: 'deploying',
        stage: 'rolling_out',
        triggerType: input.triggerType,
        ...provenance,
        imageRef: input.imageRef,
        rolledBackFrom: input.rolledBackFrom ?? null,
        startedAt: started,
        createdAt: started,
      }),
    );
  }
  const env = await appEnv(deps, app.id);
  const revision = await deps.store.revisions.create(
    {
      id: deps.ids('revision'),
      appId: app.id,
      imageRef: input.imageRef,
      artifactDir: input.artifactDir,
      artifactKind: input.artifactKind ?? 'tree',
      config: {
        command: input.command,
        listens: app.type === 'web' || app.type === 'api',
        readinessPath: app.readinessPath,
        readinessType: app.readinessType,
        cpuLimitMillicores: app.cpuLimitMillicores,
        memoryLimitMi: app.memoryLimitMi,
        ...(input.artifactKind === 'image' ? { exposedPort: input.exposedPort ?? null, registryAuthRef: input.registryAuthRef ?? null } : {}),
      },
      env,
      status: 'pending',
      statusMessage: null,
      createdAt: started,
      lastServedAt: null,
      provenance,
    },
    (sequence) => revisionName(app.slug, sequence),
  );
  await deps.store.deployments.updateIfActive(deploymentId, { status: 'deploying', stage: 'rolling_out', revisionName: revision.name, imageRef: input.imageRef });
  deps.events.record({ appId: app.id, type: 'Normal', reason: 'RolloutStarted', message: `Rolling out ${revision.name} (${input.imageRef})`, object: { kind: 'Deployment', name: deploymentId } });
  if (app.type === 'cron') return finish(deps, { deploymentId, revision, appId: app.id, ok: true, error: null });

  try {
    await untilAborted(deps.orchestrator.warm(revision.id, Math.max(1, deps.orchestrator.replicasFor(app)), deps.settings.readyTimeoutMs), input.signal);
  } catch (error) {
    if (input.signal?.aborted || !(await deps.store.apps.byId(app.id))) {
      await deps.store.revisions.setStatus(revision.id, 'failed', appDeletedReason);
      await deps.orchestrator.reconcileNow();
      return finish(deps, { deploymentId, revision, appId: app.id, ok: false, error: input.signal?.aborted ? abortOutcome(input.signal).reason : appDeletedReason, cancelled: true });
    }
    const reason = `revision ${revision.name} did not become ready: ${error instanceof Error ? error.message : String(error)}`;
    await deps.store.revisions.setStatus(revision.id, 'failed', reason);
    await deps.orchestrator.reconcileNow();
    return finish(deps, { deploymentId, revision, appId: app.id, ok: false, error: reason });
  }
  return finish(deps, { deploymentId, revision, appId: app.id, ok: true, error: null });
}

interface FinishInput {
  deploymentId: string;
  revision: Revision;
  appId: string;
  ok: boolean;
  error: string | null;
  cancelled?: boolean;
}

type Outcome = { status: Deployment['status']; error: string | null };

/** What becomes of a deployment whose revision is ready, or not (pure). */
function outcomeOf(input: FinishInput, live: boolean, newer: Deployment | null): Outcome {
  if (!live) return { status: 'cancelled', error: appDeletedReason };
  if (input.cancelled) return { status: 'cancelled', error: input.error };
  if (!input.ok) return { status: 'failed', error: input.error };
  if (newer !== null && newer.id > input.deploymentId) {
    return { status: 'cancelled', error: `Superseded: ${newer.id}, triggered later, went live first; ${input.revision.name} is ready to promote` };
  }
  return { status: 'succeeded', error: null };
}

async function finish(deps: Deps, input: FinishInput): Promise<DeployResult> {
  const now = deps.clock.now();
  const app = await deps.store.apps.byId(input.appId);
  // Deployments triggered later win: one that finishes after a newer one went live (a slow build
  // after a rollback, say) keeps its ready revision for a manual promote but takes no traffic.
  const newer = input.ok && app ? await deps.store.deployments.latestSucceeded(input.appId) : null;
  const outcome = outcomeOf(input, app !== null, newer);
  if (input.ok && app) await deps.store.revisions.setStatus(input.revision.id, 'ready', null);
  // Traffic moves before the deployment says succeeded (a client that sees it may call the app at
  // once), and only while the deployment is still on (deleting its app cancels it).
  const current = await deps.store.deployments.byId(input.deploymentId);
  if (outcome.status === 'succeeded' && app && current && !isTerminal(current.status)) {
    const previous = await deps.store.traffic.get(input.appId);
    await deps.store.traffic.set(input.appId, allTrafficTo(input.revision, previous), now);
    await deps.store.revisions.markServed([input.revision.id, ...previous.map((s) => s.revisionId)], now);
    if (app.replicas !== 0) await deps.store.apps.setStatus(input.appId, 'active', now);
  }
  if (input.ok) await deps.orchestrator.reconcileNow();
  const ended = await deps.store.deployments.updateIfActive(input.deploymentId, {
    status: outcome.status,
    error: outcome.error,
    finishedAt: now,
    ...(outcome.status === 'succeeded' ? { stage: 'done' as const } : {}),
  });
  if (ended && outcome.status === 'failed' && (await deps.store.traffic.get(input.appId)).length === 0) {
    await deps.store.apps.setStatus(input.appId, 'failed', now);
  }
  const object = { kind: 'Deployment' as const, name: input.deploymentId };
  const live = outcome.status === 'succeeded' && app ? wentLive(deps, app, input.revision.name, now) : undefined;
  if (ended && live !== undefined) {
    deps.events.record({ appId: input.appId, type: 'Normal', reason: 'RolloutSucceeded', message: live, object });
  } else if (ended) {
    deps.events.record({ appId: input.appId, type: 'Warning', reason: 'RolloutFailed', message: outcome.error ?? `${input.revision.name} did not go live`, object });
  }
  const deployment = (await deps.store.deployments.byId(input.deploymentId)) ?? notFound('Deployment');
  return { deployment, revision: { ...input.revision, status: input.ok ? 'ready' : 'failed' }, ...(live !== undefined ? { liveMessage: live } : {}) };
}

function wentLive(deps: Pick<Deps, 'orchestrator'>, app: App, revisionName: string, now: Date): string {
  return liveMessage({ type: app.type, revisionName, replicas: deps.orchestrator.replicasFor(app), schedule: app.schedule, nextRunAt: nextRunOf(app, true, now) });
}

/** The promise, or a rejection as soon as the signal aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(new Error('aborted'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
