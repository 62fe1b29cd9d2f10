// A deployment of an artifact that is already built: a rollback or env sync (a revision's
// artifact) or a build of an app version (spec 003). It gets a fresh tree, runs the release
// command and rolls out like any deploy; the call answers at once with the deployment in
// `deploying` while the rollout goes on. Deploys of builds wait their turn behind the app's
// earlier ones, at stage `queued` until their rollout starts; rollbacks never wait.
import { deployableProblem } from '../../domain/app.js';
import type { App } from '../../domain/app.js';
import type { ArtifactKind } from '../../domain/artifact.js';
import { artifactHex } from '../../domain/build.js';
import { newDeployment } from '../../domain/deployment.js';
import { prunedArtifactMessage } from '../../domain/retention.js';
import type { Deployment, TriggerType } from '../../domain/deployment.js';
import { DomainError } from '../../domain/errors.js';
import type { AuditAction } from '../../domain/audit.js';
import type { RevisionProvenance } from '../../domain/revision.js';
import type { Principal } from '../../domain/workspace.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Deps } from '../deps.js';
import { pruneQuietly } from './prune-app.js';
import { failDeployment, rollOut } from './roll-out.js';

export interface StoredArtifact {
  imageRef: string;
  kind: ArtifactKind;
  /** A tree Berth did not store (a directory) is reused as it is. */
  dir: string;
  command: string[];
  exposedPort: number | null;
  /** The registry credential (by name) an image is pulled with: a rollback pulls as its revision did. */
  registryAuthRef?: string | null;
  /** What the artifact is, for the log and errors: `rev-00002`, `build bld_…`. */
  label: string;
}

export interface DeployStoredInput {
  app: App;
  artifact: StoredArtifact;
  provenance: RevisionProvenance;
  triggerType: TriggerType;
  reusedRevision: string | null;
  rolledBackFrom: string | null;
  buildId: string | null;
  actor: Principal;
  audit: { action: AuditAction; detail: Record<string, unknown> };
  /** `after-earlier`: rolls out once the app's earlier deploys in line have ended (builds of spec 003). */
  start: 'now' | 'after-earlier';
}

export async function deployStoredArtifact(deps: Deps, input: DeployStoredInput): Promise<Deployment> {
  const problem = deployableProblem(input.app);
  if (problem) throw new DomainError('invalid', problem);
  const { artifact } = input;
  const now = deps.clock.now();
  const deploymentId = deps.ids('deployment');
  const deployment = newDeployment({
    id: deploymentId,
    appId: input.app.id,
    workspaceId: input.app.workspaceId,
    status: 'deploying',
    stage: input.start === 'now' ? 'releasing' : 'queued',
    triggerType: input.triggerType,
    ...input.provenance,
    imageRef: artifact.imageRef,
    reusedRevision: input.reusedRevision,
    rolledBackFrom: input.rolledBackFrom,
    buildId: input.buildId,
    createdBy: input.actor.keyId,
    // One that waits its turn starts when its rollout does.
    startedAt: input.start === 'now' ? now : null,
    createdAt: now,
  });
  // A stored artifact gets a fresh tree; one Berth did not build (a directory) is reused as it is;
  // an image is pinned by digest and needs no tree.
  const image = artifact.kind === 'image';
  const stored = !image && artifactHex(artifact.imageRef) !== null;
  // Held before the checkout, so a prune either spares the artifact or has removed it already.
  const release = deps.pins.hold([artifact.imageRef]);
  let releaseTree = (): void => undefined;
  const done = async () => {
    await deps.builder.cleanup(deploymentId).finally(() => {
      releaseTree();
      release();
    });
  };
  let revisionDir: string | null;
  try {
    revisionDir = stored ? await deps.builder.checkout({ imageRef: artifact.imageRef, deploymentId }) : artifact.dir;
    if (!image && !revisionDir) throw new DomainError('conflict', prunedArtifactMessage(artifact.label, artifact.imageRef));
    if (revisionDir) releaseTree = deps.pins.hold([revisionDir]);
    await deps.store.deployments.create(deployment);
  } catch (error) {
    await done();
    throw error;
  }
  await recordAudit(deps, {
    actor: input.actor,
    workspaceId: input.app.workspaceId,
    appId: input.app.id,
    action: input.audit.action,
    targetType: 'deployment',
    targetId: deploymentId,
    detail: { appId: input.app.id, ...input.audit.detail },
  });
  const log = deps.buildLogs.writer(deploymentId);
  log.line(`[deploy] ${input.triggerType} deployment reusing the artifact of ${artifact.label} (${artifact.imageRef})`);
  const own = deps.signals.open(deploymentId, input.app.id);
  const turn =
    input.start === 'now'
      ? Promise.resolve(() => undefined)
      : deps.signals.turn(input.app.id).then(async (endTurn) => {
          await deps.store.deployments.updateIfActive(deploymentId, { startedAt: deps.clock.now() }).catch((error: unknown) => {
            endTurn();
            throw error;
          });
          return endTurn;
        });
  const run = turn.then((endTurn) => rollOut(deps, {
    deploymentId,
    app: input.app,
    revisionDir: revisionDir ?? '',
    artifactKind: artifact.kind,
    exposedPort: artifact.exposedPort,
    registryAuthRef: artifact.registryAuthRef ?? null,
    imageRef: artifact.imageRef,
    command: artifact.command,
    provenance: input.provenance,
    triggerType: input.triggerType,
    rolledBackFrom: input.rolledBackFrom,
    log,
    signal: own.signal,
  }).finally(endTurn));
  void run
    .catch(async () => {
      log.line('[deploy] internal error during the rollout');
      await failDeployment(deps, { deploymentId, app: input.app, reason: 'Rollout failed: an internal error stopped it (see the Berth log)' });
    })
    .catch(() => undefined) // the store itself is failing: a restart fails the deployment
    .finally(async () => {
      own.close();
      await done().catch(() => undefined); // only an unreadable scratch space: the sweep retries it
      await deps.buildLogs.close(deploymentId);
      pruneQuietly(deps, input.app.id);
    });
  return deployment;
}
