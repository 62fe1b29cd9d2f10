import { describe, expect, it } from 'vitest';
import type { QueuedJobs } from '../../core/ports/builds.js';
import { combineJobSources } from './job-sources.js';

function source(prefix: string, created: number[]) {
  const states = new Map(created.map((at, i) => [`${prefix}_${i}`, { at, state: 'queued' as string }]));
  const jobs: QueuedJobs = {
    listByState: async (state, limit) =>
      [...states.entries()].filter(([, j]) => j.state === state).map(([id, j]) => ({ deploymentId: id, appId: `app-${id}`, createdAt: new Date(j.at) })).slice(0, limit),
    setState: async (id, state) => {
      const job = states.get(id);
      if (!job) throw new Error(`${id} is not a job of ${prefix}`);
      job.state = state;
    },
  };
  return { states, owns: (id: string) => id.startsWith(`${prefix}_`), jobs };
}

describe('combineJobSources', () => {
  it('lists the jobs of every source oldest first, up to the limit, and marks each in its own source', async () => {
    const deployments = source('dep', [30, 10]);
    const builds = source('bld', [20, 40]);
    const combined = combineJobSources([deployments, builds]);
    expect((await combined.listByState('queued', 3)).map((j) => j.deploymentId)).toEqual(['dep_1', 'bld_0', 'dep_0']);
    await combined.setState('bld_0', 'running');
    await combined.setState('dep_1', 'done');
    expect(builds.states.get('bld_0')?.state).toBe('running');
    expect(deployments.states.get('dep_1')?.state).toBe('done');
    expect((await combined.listByState('queued', 10)).map((j) => j.deploymentId)).toEqual(['dep_0', 'bld_1']);
  });
});
