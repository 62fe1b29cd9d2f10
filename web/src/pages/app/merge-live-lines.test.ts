import { describe, expect, it } from 'vitest';
import type { LogEntry } from '../../api/types';
import { mergeLiveLines } from './merge-live-lines';

const line = (message: string, at = '2026-12-05T06:00:00.000Z'): LogEntry => ({ seq: null, timestamp: at, severity: 'INFO', message, instanceId: 'ins_1', revisionName: 'app-00001' });

describe('mergeLiveLines (history read while the live tail runs)', () => {
  it('keeps every live line the page lacks, after the page, and none twice', () => {
    const history = [line('a'), line('b'), line('c')];
    const live = [line('c'), line('d'), line('e')];
    expect(mergeLiveLines(history, live).map((l) => l.message)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('tells lines with the same words apart by their time', () => {
    const merged = mergeLiveLines([line('tick', '2026-12-05T06:00:00.000Z')], [line('tick', '2026-12-05T06:00:01.000Z')]);
    expect(merged).toHaveLength(2);
  });

  it('answers the page itself when nothing arrived', () => {
    const history = [line('a')];
    expect(mergeLiveLines(history, [])).toBe(history);
  });
});
