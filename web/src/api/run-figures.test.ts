import { describe, expect, it } from 'vitest';
import { runFigures } from './run-figures';

const hour = { label: '1h', ms: 3_600_000 };
const now = new Date('2026-01-01T12:00:00Z');
const run = (status: string, startedAt: string, finishedAt: string | null = null) => ({ status, startedAt, finishedAt });

describe("a cron app's runs over a period", () => {
  it('counts the runs of the period by how they ended, and charts the finished ones oldest first', () => {
    const runs = [
      run('running', '2026-01-01T11:59:00Z'),
      run('skipped', '2026-01-01T11:50:00Z', '2026-01-01T11:50:00Z'),
      run('failed', '2026-01-01T11:40:00Z', '2026-01-01T11:40:02Z'),
      run('succeeded', '2026-01-01T11:30:00Z', '2026-01-01T11:30:00.500Z'),
      run('succeeded', '2026-01-01T10:30:00Z', '2026-01-01T10:30:01Z'),
    ];
    const figures = runFigures(runs, hour, now, 500);
    expect(figures.summary).toBe('4 runs in the last 1h: 1 succeeded, 1 failed, 1 skipped, 1 running');
    expect(figures.durations).toEqual([
      { startedAt: '2026-01-01T11:30:00Z', seconds: 0.5 },
      { startedAt: '2026-01-01T11:40:00Z', seconds: 2 },
    ]);
  });

  it('says when there was none, and which runs it counted when the history it got may not reach back far enough', () => {
    expect(runFigures([run('succeeded', '2026-01-01T10:00:00Z', '2026-01-01T10:00:01Z')], hour, now, 500).summary).toBe('No run in the last 1h');
    const full = [run('succeeded', '2026-01-01T11:59:00Z', '2026-01-01T11:59:01Z'), run('failed', '2026-01-01T11:58:00Z', '2026-01-01T11:58:01Z')];
    expect(runFigures(full, hour, now, 2).summary).toBe('The last 2 runs (since 2026-01-01T11:58:00Z): 1 succeeded, 1 failed');
  });
});
