// Cancelling an app build (Berth's addition to spec 003): a queued one ends at once; a running
// one is aborted, its sandboxed steps killed and its scratch space removed by the runner, and the
// answer waits for that. A build that has ended cannot be cancelled (conflict).
import { cancelledBuildReason, terminalAppBuildStatuses } from '../../domain/app-build.js';
import type { AppBuild } from '../../domain/app-build.js';
import { DomainError, notFound } from '../../domain/errors.js';
import { findApp } from '../apps/find-app.js';
import type { AppRef } from '../apps/find-app.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Deps } from '../deps.js';

type CancelDeps = Pick<Deps, 'store' | 'clock' | 'ids' | 'buildQueue' | 'appBuildLogs'>;

async function endQueued(deps: CancelDeps, buildId: string): Promise<boolean> {
  if (!(await deps.store.appBuilds.updateIfActive(buildId, { status: 'cancelled', error: cancelledBuildReason, finishedAt: deps.clock.now() }, ['queued']))) return false;
  await deps.store.appBuilds.dropSnapshot(buildId);
  deps.appBuildLogs.writer(buildId).line(`[build] ${cancelledBuildReason} before the build started`);
  await deps.appBuildLogs.close(buildId);
  return true;
}

export async function cancelAppBuild(deps: CancelDeps, input: AppRef & { buildId: string }): Promise<AppBuild> {
  const app = await findApp(deps, input, 'deploy:write');
  const build = await deps.store.appBuilds.byId(input.buildId);
  if (build?.appId !== app.id) return notFound('Build');
  const ended = () => new DomainError('conflict', `Build ${build.id} has already ended, so it cannot be cancelled`);
  if (terminalAppBuildStatuses.includes(build.status)) throw ended();
  await recordAudit(deps, { actor: input.actor, workspaceId: app.workspaceId, appId: app.id, action: 'build.cancel', targetType: 'build', targetId: build.id, detail: { buildId: build.id } });
  // Not running here: still queued (ends now), or it started meanwhile (then abort it).
  if (deps.buildQueue.cancel(build.id) || !(await endQueued(deps, build.id))) {
    deps.buildQueue.cancel(build.id);
    await deps.buildQueue.finished(build.id);
  }
  const after = (await deps.store.appBuilds.byId(build.id)) ?? build;
  if (after.status === 'succeeded') throw ended();
  return after;
}
