// One queued app build, start to finish, as the build queue runs it: the snapshot is written
// into scratch space, planned, installed (or restored from the app's dependency cache) and built
// in the sandbox with the app's build-time env, and stored as an artifact. Whatever happens the
// build ends with a status and a reason a user can read, its snapshot is dropped and its log closed.
import { createHash } from 'node:crypto';
import { appDeletedReason } from '../../domain/deployment.js';
import { DomainError } from '../../domain/errors.js';
import { cancelledBuildReason } from '../../domain/app-build.js';
import type { AppBuild } from '../../domain/app-build.js';
import type { SnapshotFile } from '../ports/app-builds.js';
import type { Deps } from '../deps.js';
import type { AbortReason } from '../deploys/deployment-signals.js';
import { buildAppTree } from '../deploys/build-app-tree.js';

/** sha256 over the snapshot's paths, executable bits and contents (in path order): the same files, the same digest. */
function snapshotDigest(files: readonly SnapshotFile[]): string {
  const hash = createHash('sha256');
  // The bit adds a marker only when set, so digests of trees without executables stay as they were.
  for (const file of files) hash.update(`${file.path}\0${file.content.length}\0${file.executable ? 'x\0' : ''}`).update(file.content);
  return `sha256:${hash.digest('hex')}`;
}

function stoppedOutcome(signal: AbortSignal): { status: 'failed' | 'cancelled'; reason: string } {
  switch (signal.reason as AbortReason) {
    case 'shutdown':
      return { status: 'failed', reason: 'Interrupted: Berth stopped while this build was in progress' };
    case 'app-deleted':
      return { status: 'cancelled', reason: appDeletedReason };
    default:
      return { status: 'cancelled', reason: cancelledBuildReason };
  }
}

export async function runAppBuild(deps: Deps, input: { buildId: string; signal: AbortSignal }): Promise<void> {
  const build = await deps.store.appBuilds.byId(input.buildId);
  if (!build || build.status !== 'queued') return;
  const log = deps.appBuildLogs.writer(build.id);
  const own = deps.signals.open(build.id, build.appId);
  const signal = AbortSignal.any([input.signal, own.signal]);
  try {
    await buildSnapshot(deps, { build, log, signal });
  } finally {
    own.close();
    await deps.builder.cleanup(build.id);
    await deps.store.appBuilds.dropSnapshot(build.id);
    await deps.appBuildLogs.close(build.id);
  }
}

async function buildSnapshot(deps: Deps, input: { build: AppBuild; log: ReturnType<Deps['appBuildLogs']['writer']>; signal: AbortSignal }): Promise<void> {
  const { build, log, signal } = input;
  const builds = deps.store.appBuilds;
  const app = await deps.store.apps.byId(build.appId);
  if (!app) {
    log.line(`[build] ${appDeletedReason}`);
    await builds.updateIfActive(build.id, { status: 'cancelled', error: appDeletedReason, finishedAt: deps.clock.now() });
    return;
  }
  const files = await builds.snapshot(build.id);
  const sourceDigest = snapshotDigest(files);
  if (!(await builds.updateIfActive(build.id, { status: 'running', startedAt: deps.clock.now(), sourceDigest }, ['queued']))) return;
  log.line(`[build] ${build.id}: version ${build.versionId} of ${app.slug} (${files.length} files, ${sourceDigest.slice(0, 19)})`);
  try {
    const tree = await deps.builder.materialize({ deploymentId: build.id, files, log });
    const artifact = await buildAppTree(deps, { jobId: build.id, app, tree, dockerfilePath: null, log, signal, recordBuildpack: (buildpack) => builds.updateIfActive(build.id, { buildpack }) });
    if (signal.aborted) throw new DomainError('conflict', 'cancelled');
    await builds.updateIfActive(build.id, { status: 'succeeded', imageRef: artifact.imageRef, command: artifact.command, buildpack: artifact.buildpack, finishedAt: deps.clock.now() });
    log.line(`[build] built ${artifact.imageRef} (${artifact.buildpack}); deploy it to put it live`);
    deps.events.record({ appId: app.id, type: 'Normal', reason: 'Built', message: `Built ${artifact.imageRef} (${artifact.buildpack}) from ${build.versionId}`, object: { kind: 'Build', name: build.id } });
  } catch (error) {
    const stopped = signal.aborted ? stoppedOutcome(signal) : null;
    const reason =
      stopped?.reason ??
      (error instanceof DomainError && error.code !== 'internal' ? `Build failed: ${error.message}` : 'Build failed: an internal error stopped the build (see the Berth log)');
    if (!(error instanceof DomainError) && !stopped) log.line(`[build] internal error (${(error as NodeJS.ErrnoException).code ?? (error as Error).name})`);
    log.line(`[build] ${reason}`);
    if (!stopped) deps.events.record({ appId: app.id, type: 'Warning', reason: 'BuildFailed', message: reason, object: { kind: 'Build', name: build.id } });
    await builds.updateIfActive(build.id, { status: stopped?.status ?? 'failed', error: reason, finishedAt: deps.clock.now() });
    // The build queue logs what was not a build's own failure.
    if (!(error instanceof DomainError) && !stopped) throw error;
  }
}
