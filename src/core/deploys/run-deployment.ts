// One queued deployment, start to finish, as the build queue runs it: fetch the source (commit
// recorded), build it into an artifact, then roll it out. Whatever happens, the deployment ends
// in a terminal state with a reason a user can read, and the build log is closed.
import { DomainError } from '../../domain/errors.js';
import type { Deps } from '../deps.js';
import { appEnv, appLimits, failDeployment, rollOut } from './roll-out.js';

export async function runDeployment(deps: Deps, input: { deploymentId: string; signal: AbortSignal }): Promise<void> {
  const deployment = await deps.store.deployments.byId(input.deploymentId);
  const job = await deps.store.builds.byDeployment(input.deploymentId);
  if (!deployment || deployment.status !== 'queued' || !job) return;
  const log = deps.buildLogs.writer(deployment.id);
  const app = await deps.store.apps.byId(deployment.appId);
  try {
    if (!app) {
      await deps.store.deployments.update(deployment.id, { status: 'failed', error: 'The app was deleted', finishedAt: deps.clock.now() });
      return;
    }
    await deps.store.deployments.update(deployment.id, { status: 'building', startedAt: deps.clock.now() });
    log.line(`[deploy] ${deployment.id}: ${deployment.triggerType} deployment of ${app.slug}`);
    try {
      const tree = await deps.builder.fetch({ deploymentId: deployment.id, source: job.source, log, signal: input.signal });
      if (tree.gitCommitSha) await deps.store.deployments.update(deployment.id, { gitCommitSha: tree.gitCommitSha, gitCommitMessage: tree.gitCommitMessage });
      const artifact = await deps.builder.build({
        deploymentId: deployment.id,
        appId: app.id,
        limits: appLimits(app),
        tree,
        dockerfilePath: app.dockerfilePath,
        env: await appEnv(deps, app.id),
        log,
        signal: input.signal,
      });
      await deps.store.deployments.update(deployment.id, { buildpack: artifact.buildpack, imageRef: artifact.imageRef });
      if (input.signal.aborted) throw new DomainError('conflict', 'cancelled');
      await rollOut(deps, {
        deploymentId: deployment.id,
        app,
        revisionDir: artifact.revisionDir,
        imageRef: artifact.imageRef,
        command: artifact.command,
        buildpack: artifact.buildpack,
        triggerType: deployment.triggerType,
        gitBranch: deployment.gitBranch,
        gitCommitSha: tree.gitCommitSha ?? deployment.gitCommitSha,
        gitCommitMessage: tree.gitCommitMessage ?? deployment.gitCommitMessage,
        rolledBackFrom: deployment.rolledBackFrom,
        log,
      });
    } catch (error) {
      const reason = input.signal.aborted
        ? input.signal.reason === 'shutdown'
          ? 'Interrupted: Berth stopped while this deployment was building'
          : 'Cancelled'
        : error instanceof DomainError && error.code !== 'internal'
          ? `Build failed: ${error.message}`
          : 'Build failed: an internal error stopped the build (see the Berth log)';
      if (!(error instanceof DomainError)) log.line(`[deploy] internal error (${(error as NodeJS.ErrnoException).code ?? (error as Error).name})`);
      log.line(`[deploy] ${reason}`);
      // A build that filled the disk leaves its tree: without that space the failure could not be
      // stored. Best effort: recording the failure matters more (the finally block tries again).
      await deps.builder.cleanup(deployment.id).catch(() => undefined);
      await failDeployment(deps, {
        deploymentId: deployment.id,
        app,
        reason,
        status: input.signal.aborted && input.signal.reason !== 'shutdown' ? 'cancelled' : 'failed',
        buildFailed: true,
      });
      if (!(error instanceof DomainError)) throw error;
    }
  } finally {
    await deps.builder.cleanup(deployment.id);
    await deps.buildLogs.close(deployment.id);
  }
}
