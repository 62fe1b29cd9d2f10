// The part every deployment shares once it has an artifact: a tree for the new revision, the
// release command (once, with the new env, before any traffic moves; a failure ends the
// deployment and traffic stays put), then the zero-downtime rollout of deployArtifact. The
// signal stops it between and during steps (the app was deleted).
import type { App } from '../../domain/app.js';
import { ownCommand } from '../../domain/own-command.js';
import type { ArtifactKind } from '../../domain/artifact.js';
import type { TriggerType } from '../../domain/deployment.js';
import type { RevisionProvenance } from '../../domain/revision.js';
import type { Deps } from '../deps.js';
import type { AppLimits, BuildLog } from '../ports/builds.js';
import { appEnv } from '../env-vars/app-env.js';
import { deployArtifact } from '../revisions/deploy-artifact.js';
import { abortOutcome } from './deployment-signals.js';

export interface RollOutInput {
  deploymentId: string;
  app: App;
  /** The revision's own tree (already checked out); '' for an image. */
  revisionDir: string;
  /** A tree Berth built (default) or an image pinned by digest (`imageRef`). */
  artifactKind?: ArtifactKind;
  /** Where the image says it listens (EXPOSE). */
  exposedPort?: number | null;
  /** The workspace's registry credential (by name) the image is pulled with; the revision keeps it for its instances. */
  registryAuthRef?: string | null;
  imageRef: string;
  command: string[];
  provenance: RevisionProvenance;
  triggerType: TriggerType;
  rolledBackFrom: string | null;
  log: BuildLog;
  signal: AbortSignal;
}

export function appLimits(app: App): AppLimits {
  return { memoryMi: app.memoryLimitMi, cpuMillicores: app.cpuLimitMillicores };
}

/**
 * Ends a deployment that did not make it (unless it already ended: cancelled meanwhile). An app
 * that serves nothing takes the failure as its status.
 */
export async function failDeployment(
  deps: Pick<Deps, 'store' | 'clock'>,
  input: { deploymentId: string; app: App; reason: string; status?: 'failed' | 'cancelled'; buildFailed?: boolean },
) {
  const now = deps.clock.now();
  const status = input.status ?? 'failed';
  const ended = await deps.store.deployments.updateIfActive(input.deploymentId, { status, error: input.reason, finishedAt: now });
  if (ended && status === 'failed' && (await deps.store.traffic.get(input.app.id)).length === 0) {
    await deps.store.apps.setStatus(input.app.id, input.buildFailed ? 'build_failed' : 'failed', now);
  }
}

/** What the log says traffic does after a failure: there may be nothing serving to keep. */
async function trafficAfterFailure(deps: Pick<Deps, 'store'>, appId: string): Promise<string> {
  const serving = (await deps.store.traffic.get(appId)).filter((s) => s.percent > 0);
  return serving.length > 0
    ? `${serving.map((s) => s.revisionName).join(', ')} keeps serving`
    : 'no revision of this app was serving, so it stays down';
}

async function stopEarly(deps: Deps, input: RollOutInput): Promise<void> {
  const stopped = abortOutcome(input.signal);
  input.log.line(`[deploy] ${stopped.reason}`);
  await failDeployment(deps, { deploymentId: input.deploymentId, app: input.app, reason: stopped.reason, status: stopped.status });
}

export async function rollOut(deps: Deps, input: RollOutInput): Promise<void> {
  // From the release command on: a restart asked meanwhile applies to what serves once it ends.
  const ended = deps.signals.rollingOut(input.app.id);
  try {
    await releaseAndRollOut(deps, input);
  } finally {
    ended();
  }
}

async function releaseAndRollOut(deps: Deps, input: RollOutInput): Promise<void> {
  const { log } = input;
  if (input.signal.aborted) return stopEarly(deps, input);
  await deps.store.deployments.updateIfActive(input.deploymentId, { status: 'deploying', stage: 'releasing', imageRef: input.imageRef, buildpack: input.provenance.buildpack });
  const release = input.app.releaseCommand;
  if (release && input.artifactKind === 'image') {
    const failure = 'release commands run only for apps Berth builds, not yet for IMAGE sources: clear releaseCommand, or run it from the image';
    log.line(`[release] ${failure}; ${await trafficAfterFailure(deps, input.app.id)}`);
    await failDeployment(deps, { deploymentId: input.deploymentId, app: input.app, reason: failure });
    return;
  }
  if (release) {
    const failure = await deps.builder.release({
      appId: input.app.id,
      limits: appLimits(input.app),
      revisionDir: input.revisionDir,
      command: release,
      env: await appEnv(deps, input.app.id),
      log,
      signal: input.signal,
    });
    if (input.signal.aborted) return stopEarly(deps, input);
    if (failure) {
      log.line(`[release] ${failure}; ${await trafficAfterFailure(deps, input.app.id)}`);
      await failDeployment(deps, { deploymentId: input.deploymentId, app: input.app, reason: failure });
      return;
    }
  }
  if (!(await deps.store.deployments.updateIfActive(input.deploymentId, { stage: 'rolling_out' }))) return;
  log.line(`[deploy] starting the new revision: ${input.command.length > 0 ? ownCommand(input.command) : `${input.imageRef} (its own command)`}`);
  const result = await deployArtifact(deps, {
    appId: input.app.id,
    artifactDir: input.revisionDir,
    artifactKind: input.artifactKind ?? 'tree',
    exposedPort: input.exposedPort ?? null,
    registryAuthRef: input.registryAuthRef ?? null,
    command: input.command,
    imageRef: input.imageRef,
    triggerType: input.triggerType,
    provenance: input.provenance,
    rolledBackFrom: input.rolledBackFrom,
    deploymentId: input.deploymentId,
    signal: input.signal,
  });
  if (result.deployment.status === 'succeeded') log.line(`[deploy] ${result.liveMessage ?? `${result.revision?.name ?? 'revision'} went live`}`);
  else if (result.deployment.status === 'cancelled') log.line(`[deploy] ${result.deployment.error ?? 'cancelled'}`);
  else log.line(`[deploy] failed: ${result.deployment.error ?? 'unknown reason'}; ${await trafficAfterFailure(deps, input.app.id)}`);
}
