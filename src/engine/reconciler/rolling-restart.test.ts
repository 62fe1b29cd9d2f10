// Which instances marked for replacement may leave: only once their revision has its wanted ready
// instances without them, each replaced by one of the newest.
import { describe, expect, it } from 'vitest';
import { retirable } from './rolling-restart.js';

describe('retirable', () => {
  const ready = (byRevision: Record<string, string[]>) => (revisionId: string) => [...(byRevision[revisionId] ?? [])];
  it.each([
    ['waits while the replacement is not ready', [['old-a', 'r1']], { r1: ['old-b'] }, { r1: 2 }, []],
    ['retires once the revision has its replicas without it', [['old-a', 'r1']], { r1: ['old-b', 'new-c'] }, { r1: 2 }, [{ instanceId: 'old-a', by: 'new-c' }]],
    ['retires an instance whose revision wants none any more', [['old-a', 'r1']], { r1: [] }, { r1: 0 }, [{ instanceId: 'old-a', by: null }]],
    ['takes a distinct replacement for each', [['a', 'r1'], ['b', 'r1']], { r1: ['c', 'd'] }, { r1: 2 }, [{ instanceId: 'a', by: 'd' }, { instanceId: 'b', by: 'c' }]],
  ] as const)('%s', (_what, marked, readyUnmarked, wanted, expected) => {
    expect(retirable(marked as unknown as [string, string][], ready(readyUnmarked as unknown as Record<string, string[]>), (r) => (wanted as Record<string, number>)[r] ?? 0)).toEqual(expected);
  });
});
