// One queued deployment, start to finish, as the build queue runs it: fetch the source (commit
// recorded), build it into an artifact (buildpack recorded as soon as the plan is known), then
// roll it out. Whatever happens, the deployment ends in a terminal state with a reason a user can
// read, and the build log is closed. Deleting the app stops it at whatever step it has reached.
import { appDeletedReason } from '../../domain/deployment.js';
import { DomainError } from '../../domain/errors.js';
import type { Deps } from '../deps.js';
import { deployDockerfile, deployImage } from './deploy-image.js';
import { abortOutcome } from './deployment-signals.js';
import { buildAppTree } from './build-app-tree.js';
import { pruneQuietly } from './prune-app.js';
import { failDeployment, rollOut } from './roll-out.js';

export async function runDeployment(deps: Deps, input: { deploymentId: string; signal: AbortSignal }): Promise<void> {
  const deployment = await deps.store.deployments.byId(input.deploymentId);
  const job = await deps.store.builds.byDeployment(input.deploymentId);
  if (!deployment || deployment.status !== 'queued' || !job) return;
  const log = deps.buildLogs.writer(deployment.id);
  const app = await deps.store.apps.byId(deployment.appId);
  const own = deps.signals.open(deployment.id, deployment.appId);
  const signal = AbortSignal.any([input.signal, own.signal]);
  const deployments = deps.store.deployments;
  let release = (): void => undefined;
  try {
    if (!app) {
      log.line(`[deploy] ${appDeletedReason}`);
      await deployments.updateIfActive(deployment.id, { status: 'cancelled', error: appDeletedReason, finishedAt: deps.clock.now() });
      return;
    }
    if (!(await deployments.updateIfActive(deployment.id, { status: 'building', stage: 'fetching', startedAt: deps.clock.now() }, ['queued']))) return;
    log.line(`[deploy] ${deployment.id}: ${deployment.triggerType} deployment of ${app.slug}`);
    try {
      if (job.source.type === 'IMAGE') return await deployImage(deps, { deployment, app, source: job.source, log, signal });
      const tree = await deps.builder.fetch({ deploymentId: deployment.id, source: job.source, log, signal });
      const fetched = job.source.type === 'GIT' ? `commit ${tree.gitCommitSha?.slice(0, 12) ?? '?'} of ${job.source.branch}` : `upload ${job.source.type === 'UPLOAD' ? job.source.uploadId : '?'}`;
      deps.events.record({ appId: app.id, type: 'Normal', reason: 'Pulled', message: `Fetched the source: ${fetched}`, object: { kind: 'Deployment', name: deployment.id } });
      await deployments.updateIfActive(deployment.id, {
        stage: 'building',
        ...(tree.gitCommitSha ? { gitCommitSha: tree.gitCommitSha, gitCommitMessage: tree.gitCommitMessage } : {}),
      });
      if (app.dockerfilePath && deps.images) return await deployDockerfile(deps, { deployment, app, tree, dockerfilePath: app.dockerfilePath, log, signal });
      if (tree.dockerfile && deps.images) {
        log.line(`[plan] no build plan fits these files, but there is ${tree.dockerfile}: building it with the container engine`);
        return await deployDockerfile(deps, { deployment, app, tree, dockerfilePath: tree.dockerfile, log, signal });
      }
      const artifact = await buildAppTree(deps, {
        jobId: deployment.id,
        app,
        tree,
        dockerfilePath: app.dockerfilePath,
        log,
        signal,
        recordBuildpack: (buildpack) => deployments.updateIfActive(deployment.id, { buildpack }),
      });
      // Until the revision row says so, only this deployment knows it uses them.
      release = deps.pins.hold([artifact.imageRef, artifact.revisionDir]);
      await deployments.updateIfActive(deployment.id, { buildpack: artifact.buildpack, imageRef: artifact.imageRef, builtAt: deps.clock.now() });
      deps.events.record({ appId: app.id, type: 'Normal', reason: 'Built', message: `Built ${artifact.imageRef} (${artifact.buildpack})`, object: { kind: 'Deployment', name: deployment.id } });
      if (signal.aborted) throw new DomainError('conflict', 'cancelled');
      await rollOut(deps, {
        deploymentId: deployment.id,
        app,
        revisionDir: artifact.revisionDir,
        imageRef: artifact.imageRef,
        command: artifact.command,
        provenance: {
          gitBranch: deployment.gitBranch,
          gitCommitSha: tree.gitCommitSha ?? deployment.gitCommitSha,
          gitCommitMessage: tree.gitCommitMessage ?? deployment.gitCommitMessage,
          buildpack: artifact.buildpack,
        },
        triggerType: deployment.triggerType,
        rolledBackFrom: deployment.rolledBackFrom,
        log,
        signal,
      });
    } catch (error) {
      const stopped = signal.aborted ? abortOutcome(signal) : null;
      const reason =
        stopped?.reason ??
        (error instanceof DomainError && error.code !== 'internal'
          ? `Build failed: ${error.message}`
          : 'Build failed: an internal error stopped the build (see the Berth log)');
      if (!(error instanceof DomainError) && !stopped) log.line(`[deploy] internal error (${(error as NodeJS.ErrnoException).code ?? (error as Error).name})`);
      log.line(`[deploy] ${reason}`);
      if (!stopped) deps.events.record({ appId: app.id, type: 'Warning', reason: 'BuildFailed', message: reason, object: { kind: 'Deployment', name: deployment.id } });
      // A build that filled the disk leaves its tree: without that space the failure could not be
      // stored. Best effort: recording the failure matters more (the finally block tries again).
      await deps.builder.cleanup(deployment.id).catch(() => undefined);
      await failDeployment(deps, { deploymentId: deployment.id, app, reason, status: stopped?.status ?? 'failed', buildFailed: true });
      if (!(error instanceof DomainError) && !stopped) throw error;
    }
  } finally {
    own.close();
    await deps.builder.cleanup(deployment.id).finally(release);
    await deps.buildLogs.close(deployment.id);
    // Started, not awaited: the next queued build need not wait for this app's prune.
    if (app) pruneQuietly(deps, app.id);
  }
}
