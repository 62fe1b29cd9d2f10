// One build queue over several kinds of job (deployments' builds, app builds of spec 003): their
// jobs are listed together, oldest first, and each job's state goes back to the kind it came from.
import type { QueuedJobs } from '../../core/ports/builds.js';

export interface JobSource {
  owns(jobId: string): boolean;
  jobs: QueuedJobs;
}

export function combineJobSources(sources: readonly JobSource[]): QueuedJobs {
  return {
    async listByState(state, limit) {
      const all = (await Promise.all(sources.map((s) => s.jobs.listByState(state, limit)))).flat();
      all.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.deploymentId < b.deploymentId ? -1 : a.deploymentId > b.deploymentId ? 1 : 0));
      return all.slice(0, limit);
    },
    async setState(jobId, state) {
      await sources.find((s) => s.owns(jobId))?.jobs.setState(jobId, state);
    },
  };
}
