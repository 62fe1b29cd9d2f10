// App builds as the build queue sees them: jobs beside deployments' builds, in one queue, so
// never two builds of one app run at once. A build records its own start and end; one the queue
// marks done while it has not ended was cut short by a restart.
import { interruptedBuildReason } from '../../domain/app-build.js';
import type { Deps } from '../deps.js';
import type { QueuedJobs } from '../ports/builds.js';

export function appBuildJobs(deps: Pick<Deps, 'store' | 'clock'>): QueuedJobs {
  return {
    async listByState(state, limit) {
      if (state === 'done') return [];
      const builds = await deps.store.appBuilds.listByStatus(state, limit);
      return builds.map((b) => ({ deploymentId: b.id, appId: b.appId, createdAt: b.createdAt }));
    },
    async setState(buildId, state) {
      if (state !== 'done') return;
      if (await deps.store.appBuilds.updateIfActive(buildId, { status: 'failed', error: interruptedBuildReason, finishedAt: deps.clock.now() })) {
        await deps.store.appBuilds.dropSnapshot(buildId);
      }
    },
  };
}
