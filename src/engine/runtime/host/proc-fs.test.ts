import { describe, expect, it } from 'vitest';
import { isAlive, parseProcStat, processTree, readProcStat, type ProcStat } from './proc-fs.js';

describe('parseProcStat', () => {
  it('reads identity fields even when comm holds spaces and parentheses', () => {
    const fields = [
      'S',
      '1',
      '42',
      '42',
      '0',
      '-1',
      '4194560',
      '1',
      '0',
      '0',
      '0',
      '7',
      '3',
      '0',
      '0',
      '20',
      '0',
      '1',
      '0',
      '12345',
    ];
    const stat = parseProcStat(`4242 (my (odd) app) ${fields.join(' ')} 9 9 9`);
    expect(stat).toEqual({
      pid: 4242,
      comm: 'my (odd) app',
      state: 'S',
      ppid: 1,
      pgid: 42,
      cpuTicks: 10,
      startTicks: 12345,
    });
  });

  it('returns null for garbage', () => {
    expect(parseProcStat('nonsense')).toBeNull();
  });

  it('reads this process, and a start time that does not match is not alive', () => {
    const self = readProcStat(process.pid);
    expect(self?.pid).toBe(process.pid);
    expect(isAlive(process.pid, self?.startTicks ?? -1)).toBe(true);
    expect(isAlive(process.pid, (self?.startTicks ?? 0) + 1)).toBe(false);
  });
});

describe('processTree', () => {
  const s = (pid: number, ppid: number): ProcStat => ({
    pid,
    ppid,
    pgid: pid,
    comm: 'x',
    state: 'S',
    cpuTicks: 0,
    startTicks: 1,
  });

  it('lists a root and its descendants, parents first, and nothing else', () => {
    const stats = [s(1, 0), s(10, 1), s(11, 10), s(12, 10), s(13, 11), s(20, 1)];
    expect(processTree(10, stats).map((p) => p.pid)).toEqual([10, 11, 12, 13]);
    expect(processTree(99, stats)).toEqual([]);
  });
});
