// The status lines of `berth databases info`: a restart in progress read from the answer's fields.
import { describe, expect, it } from 'vitest';
import { statusFacts } from './status-facts.js';

const answer = { status: 'RUNNING', readyInstances: 0, desiredInstances: 1, message: 'The sentence', restartAttempt: null, maxRestartAttempts: null, nextRestartAt: null, lastExit: null };
const now = new Date('2026-12-05T09:00:00.000Z');

describe('berth databases info status lines', () => {
  it('says the message when no restart is under way', () => {
    expect(statusFacts({ ...answer, readyInstances: 1, message: null }, now)).toEqual([['Status', 'RUNNING, 1/1 ready']]);
    expect(statusFacts({ ...answer, status: 'FAILED', message: 'postgres refused' }, now)).toEqual([['Status', 'FAILED, 0/1 ready: postgres refused']]);
  });

  it('says which attempt, the wait before the next and why the server exited', () => {
    const restarting = { ...answer, restartAttempt: 2, maxRestartAttempts: 5, nextRestartAt: '2026-12-05T09:00:03.200Z', lastExit: 'killed by SIGKILL' };
    expect(statusFacts(restarting, now)).toEqual([
      ['Status', 'RUNNING, 0/1 ready: Berth is restarting its server (attempt 2 of 5, next try in 4 s)'],
      ['Last exit', 'killed by SIGKILL'],
    ]);
    expect(statusFacts({ ...restarting, nextRestartAt: null }, now)[0]).toEqual(['Status', 'RUNNING, 0/1 ready: Berth is restarting its server (attempt 2 of 5, under way now)']);
  });
});
