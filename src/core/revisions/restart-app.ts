// Restart without redeploying (spec 002): every instance of the serving revisions is replaced,
// one at a time and without a failed request (the orchestrator's rolling restart), and no new
// revision or deployment is made; during a rollout, of the revision that serves once it ends.
// Answers once every instance was replaced.
import { isServing } from '../../domain/revision.js';
import type { App } from '../../domain/app.js';
import { DomainError } from '../../domain/errors.js';
import { findApp } from '../apps/find-app.js';
import type { AppRef } from '../apps/find-app.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Deps } from '../deps.js';
import type { RestartReport } from '../ports/orchestrator.js';

/** How much longer than a readiness deadline one replacement may take (the start itself). */
const startSlackMs = 5_000;

export async function restartApp(deps: Deps, input: AppRef): Promise<{ app: App; restart: RestartReport }> {
  const app = await findApp(deps, input, 'deploy:write');
  const asked = deps.clock.now();
  // A rollout in flight replaces what serves now: restarting that would be wasted (and would
  // briefly take capacity from it). What serves once it ends is restarted, except the instances
  // it started after this was asked (fresh already).
  await deps.signals.rolloutsEnded(app.id);
  const serving = (await deps.store.traffic.get(app.id)).filter(isServing);
  if (serving.length === 0) throw new DomainError('conflict', 'The app has no serving revision: deploy it first');
  if (app.replicas === 0) throw new DomainError('conflict', 'The app is scaled to zero: nothing runs to restart');
  let restart: RestartReport;
  try {
    restart = await deps.orchestrator.restart(app.id, { deadlineMs: deps.settings.readyTimeoutMs + startSlackMs, startedBefore: asked });
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    deps.events.record({ appId: app.id, type: 'Warning', reason: 'Restarted', message: `Restart stopped: ${why}`, object: { kind: 'App', name: app.slug } });
    throw new DomainError('unavailable', `Restart stopped: ${why}; the instances not replaced yet keep serving`);
  }
  const names = serving.map((s) => s.revisionName).join(', ');
  deps.events.record({
    appId: app.id,
    type: 'Normal',
    reason: 'Restarted',
    message:
      restart.replaced.length === 0
        ? `Nothing to replace: every instance of ${names} started after the restart was asked (a rollout started them)`
        : `Replaced ${restart.replaced.length} instance${restart.replaced.length === 1 ? '' : 's'} of ${names}, one at a time`,
    object: { kind: 'App', name: app.slug },
  });
  await recordAudit(deps, { actor: input.actor, workspaceId: app.workspaceId, action: 'app.restart', targetType: 'app', targetId: app.id, detail: { replaced: restart.replaced.length } });
  return { app, restart };
}
