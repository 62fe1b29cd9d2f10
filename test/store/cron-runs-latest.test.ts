// The newest cron run of many apps in one read (the overview's health counts): on both stores,
// each app's newest run by id, apps without a run absent, and no query for no apps.
import { describe, expect, it } from 'vitest';
import type { CronRun } from '../../src/domain/cron-run.js';
import { backends } from '../support/test-berth.js';
import { useTestStore } from '../support/test-store.js';

const aRun = (appId: string, id: string, status: CronRun['status']): CronRun => {
  const at = new Date();
  return { id, appId, revisionId: 'rev_x', scheduledFor: at, startedAt: at, finishedAt: status === 'running' ? null : at, exitCode: status === 'failed' ? 1 : 0, status };
};

describe.each(backends)('latest cron runs of many apps on %s', (backend) => {
  const t = useTestStore(backend, 'cron-latest');

  it('answers each app’s newest run, and nothing for apps without one', async () => {
    const [a, b, c] = [await t.anApp('cron-a'), await t.anApp('cron-b'), await t.anApp('cron-c')];
    const runs = t.store.cronRuns;
    await runs.create(aRun(a, 'crun_01', 'succeeded'));
    await runs.create(aRun(a, 'crun_03', 'failed'));
    await runs.create(aRun(b, 'crun_02', 'succeeded'));
    await runs.create(aRun(a, 'crun_00', 'succeeded'));
    const latest = await runs.latestOf([a, b, c]);
    expect(Object.fromEntries([...latest].map(([appId, run]) => [appId, `${run.id} ${run.status}`]))).toEqual({ [a]: 'crun_03 failed', [b]: 'crun_02 succeeded' });
    expect((await runs.latestOf([b])).get(b)?.id).toBe('crun_02');
    expect((await runs.latestOf([])).size).toBe(0);
  });
});
