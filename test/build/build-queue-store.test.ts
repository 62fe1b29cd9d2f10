// The durable build queue's rows on both backends: a deployment and its build job are stored
// together or not at all (a deployment without its job would stay queued forever).
import { newDeployment } from '../../src/domain/deployment.js';
import { describe, expect, it } from 'vitest';
import type { Deployment } from '../../src/domain/deployment.js';
import { backends } from '../support/test-berth.js';
import { useTestStore } from '../support/test-store.js';

const queued = (id: string, appId: string): Deployment =>
  newDeployment({ id, appId, workspaceId: 'ws_t', status: 'queued', stage: 'queued', triggerType: 'MANUAL', gitBranch: 'main', createdAt: new Date() });

describe.each(backends)('build queue rows on %s', (backend) => {
  const testStore = useTestStore(backend, 'queue');

  it('store a deployment with its job, or neither when the job cannot be stored', async () => {
    const { store } = testStore;
    const appId = await testStore.anApp('queued');
    const job = { deploymentId: 'dep_1', appId, source: { type: 'GIT' as const, url: 'https://example.com/a.git', branch: 'main', commitSha: null }, state: 'queued' as const, createdAt: new Date() };
    await store.builds.enqueue(queued('dep_1', appId), job);
    expect((await store.deployments.byId('dep_1'))?.status).toBe('queued');
    expect((await store.builds.listByState('queued', 10)).map((j) => j.deploymentId)).toEqual(['dep_1']);

    // The job's row clashes with dep_1's: the second deployment must not be left without one.
    await expect(store.builds.enqueue(queued('dep_2', appId), job)).rejects.toThrow();
    expect(await store.deployments.byId('dep_2')).toBeNull();
    expect((await store.builds.listByState('queued', 10)).map((j) => j.deploymentId)).toEqual(['dep_1']);
  });
});
