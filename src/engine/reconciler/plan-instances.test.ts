import { describe, expect, it } from 'vitest';
import { planInstances } from './plan-instances.js';

const inst = (instanceId: string, revisionId: string, ready: boolean, startedAt: number) => ({ instanceId, revisionId, ready, startedAt });

describe('planInstances', () => {
  it('starts what is missing', () => {
    expect(planInstances(new Map([['r1', 2]]), [inst('a', 'r1', true, 1)])).toEqual({ start: [{ revisionId: 'r1', count: 1 }], stop: [] });
  });
  it('stops revisions no longer desired', () => {
    expect(planInstances(new Map([['r2', 1]]), [inst('a', 'r1', true, 1), inst('b', 'r2', true, 2)])).toEqual({ start: [], stop: ['a'] });
  });
  it('scales down by stopping not-ready instances first, then the youngest', () => {
    const observed = [inst('old', 'r1', true, 1), inst('young', 'r1', true, 5), inst('cold', 'r1', false, 3)];
    expect(planInstances(new Map([['r1', 2]]), observed).stop).toEqual(['cold']);
    expect(planInstances(new Map([['r1', 1]]), observed).stop).toEqual(['cold', 'young']);
  });
  it('does nothing when desired and observed agree', () => {
    expect(planInstances(new Map([['r1', 1]]), [inst('a', 'r1', false, 1)])).toEqual({ start: [], stop: [] });
  });
});
