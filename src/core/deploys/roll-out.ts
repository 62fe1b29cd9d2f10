// The part every deployment shares once it has an artifact: a tree for the new revision, the
// release command (once, with the new env, before any traffic moves; a failure ends the
// deployment and traffic stays put), then the zero-downtime rollout of deployArtifact.
import type { App } from '../../domain/app.js';
import type { AppLimits, BuildLog } from '../ports/builds.js';
import type { TriggerType } from '../../domain/deployment.js';
import type { Deps } from '../deps.js';
import { deployArtifact } from '../revisions/deploy-artifact.js';
import { collectGarbage } from './collect-garbage.js';

export interface RollOutInput {
  deploymentId: string;
  app: App;
  /** The revision's own tree (already checked out). */
  revisionDir: string;
  imageRef: string;
  command: string[];
  buildpack: string | null;
  triggerType: TriggerType;
  gitBranch: string | null;
  gitCommitSha: string | null;
  gitCommitMessage: string | null;
  rolledBackFrom: string | null;
  log: BuildLog;
}

export async function appEnv(deps: Pick<Deps, 'store'>, appId: string): Promise<Record<string, string>> {
  return Object.fromEntries((await deps.store.envVars.list(appId)).map((v) => [v.key, v.value]));
}

export function appLimits(app: App): AppLimits {
  return { memoryMi: app.memoryLimitMi, cpuMillicores: app.cpuLimitMillicores };
}

export async function failDeployment(deps: Pick<Deps, 'store' | 'clock'>, input: { deploymentId: string; app: App; reason: string; status?: 'failed' | 'cancelled'; buildFailed?: boolean }) {
  const now = deps.clock.now();
  await deps.store.deployments.update(input.deploymentId, { status: input.status ?? 'failed', error: input.reason, finishedAt: now });
  if ((input.status ?? 'failed') === 'failed' && (await deps.store.traffic.get(input.app.id)).length === 0) {
    await deps.store.apps.setStatus(input.app.id, input.buildFailed ? 'build_failed' : 'failed', now);
  }
}

export async function rollOut(deps: Deps, input: RollOutInput): Promise<void> {
  const { log } = input;
  await deps.store.deployments.update(input.deploymentId, { status: 'deploying', imageRef: input.imageRef, buildpack: input.buildpack });
  const release = input.app.releaseCommand;
  if (release) {
    const failure = await deps.builder.release({ appId: input.app.id, limits: appLimits(input.app), revisionDir: input.revisionDir, command: release, env: await appEnv(deps, input.app.id), log });
    if (failure) {
      log.line(`[release] ${failure}; traffic stays where it was`);
      await failDeployment(deps, { deploymentId: input.deploymentId, app: input.app, reason: failure });
      return;
    }
  }
  log.line(`[deploy] starting the new revision: ${input.command.join(' ')}`);
  const result = await deployArtifact(deps, {
    appId: input.app.id,
    artifactDir: input.revisionDir,
    command: input.command,
    imageRef: input.imageRef,
    triggerType: input.triggerType,
    buildpack: input.buildpack,
    gitBranch: input.gitBranch,
    gitCommitSha: input.gitCommitSha,
    gitCommitMessage: input.gitCommitMessage,
    rolledBackFrom: input.rolledBackFrom,
    deploymentId: input.deploymentId,
  });
  if (result.deployment.status === 'succeeded') log.line(`[deploy] ${result.revision?.name ?? 'revision'} is ready and receives 100% of traffic`);
  else log.line(`[deploy] failed: ${result.deployment.error ?? 'unknown reason'}; the previous revision keeps serving`);
  await collectGarbage(deps);
}
