// `berth databases info`'s status lines, from the status answer's fields: while Berth restarts the
// server, which attempt, when the next (as a wait, not a timestamp) and why it last exited.

export interface DatabaseStatusAnswer {
  status: string;
  readyInstances: number;
  desiredInstances: number;
  message: string | null;
  restartAttempt: number | null;
  maxRestartAttempts: number | null;
  nextRestartAt: string | null;
  lastExit: string | null;
}

export function statusFacts(status: DatabaseStatusAnswer, now: Date): [string, string | null][] {
  const ready = `${status.status}, ${status.readyInstances}/${status.desiredInstances} ready`;
  if (status.restartAttempt === null) return [['Status', `${ready}${status.message ? `: ${status.message}` : ''}`]];
  const next = status.nextRestartAt === null ? 'under way now' : `next try in ${Math.max(0, Math.ceil((Date.parse(status.nextRestartAt) - now.getTime()) / 1000))} s`;
  return [
    ['Status', `${ready}: Berth is restarting its server (attempt ${status.restartAttempt} of ${status.maxRestartAttempts ?? '?'}, ${next})`],
    ['Last exit', status.lastExit],
  ];
}
