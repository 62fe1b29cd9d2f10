// After Berth itself restarts (even after SIGKILL), nothing may stay mid-flight: deployments in
// a non-terminal state are failed with that reason before the reconciler starts serving again.
// Queued builds are not in flight: they stay queued and the build queue runs them.
import type { Deps } from './deps.js';

export async function recoverAfterRestart(deps: Pick<Deps, 'store' | 'clock'>): Promise<number> {
  return deps.store.deployments.failUnfinished('Interrupted: Berth restarted while this deployment was in progress', deps.clock.now(), ['building', 'deploying']);
}
