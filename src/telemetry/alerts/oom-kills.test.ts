import { describe, expect, it } from 'vitest';
import type { Condition } from './alert-rules.js';
import { createOomKills, withOomKills } from './oom-kills.js';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
const sampled: Condition = { type: 'high_memory', firing: false, severity: 'warning', message: 'Memory usage exceeded 80% of its limit for 5 minutes (peak 40.0%)' };
const kill = (instanceId: string, oomKilled = true) => ({ appId: 'app_1', instanceId, revisionName: 'shop-00001', oomKilled });

describe('OOM kills', () => {
  it('remembers only kills by the memory limit, per app, within the window', () => {
    const kills = createOomKills(10_000);
    kills.record(kill('shop-00001-a'), at(0));
    kills.record(kill('shop-00001-b', false), at(1));
    kills.record({ ...kill('other-00001-a'), appId: 'app_2' }, at(2));
    kills.record(kill('shop-00001-c'), at(5));
    expect(kills.since('app_1', at(0).getTime()).map((k) => k.instanceId)).toEqual(['shop-00001-a', 'shop-00001-c']);
    expect(kills.since('app_1', at(1).getTime()).map((k) => k.instanceId)).toEqual(['shop-00001-c']);
    kills.forget(new Set(['app_1']));
    expect(kills.since('app_2', 0)).toEqual([]);
  });

  it('fires high_memory (critical) while a kill is in the window, naming the latest', () => {
    const kills = createOomKills(10_000);
    kills.record(kill('shop-00001-a'), at(0));
    kills.record(kill('shop-00001-c'), at(5));
    const condition = withOomKills(sampled, kills.since('app_1', 0), { windowMs: 300_000, memoryLimitMi: 128 });
    expect(condition).toMatchObject({ type: 'high_memory', firing: true, severity: 'critical' });
    expect(condition.message).toBe(
      '2 instances were killed for exceeding the memory limit (128 MiB) in the last 5 minutes: latest shop-00001-c of shop-00001 at 2026-01-01T00:00:05.000Z',
    );
  });

  it('leaves the sampled condition as it is when no kill is in the window', () => {
    expect(withOomKills(sampled, [], { windowMs: 300_000, memoryLimitMi: 128 })).toBe(sampled);
  });
});
