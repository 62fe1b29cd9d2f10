// How the supervisor restarts a database server that exits: soon after it exits, then later and
// later while its restarts keep failing, and no more after a few in a row (a server that will not
// start is left alone, with its data, until someone acts, not relaunched every second for ever).

export interface RestartPolicy {
  /** The wait after a serving server exits; each failed start in a row doubles it. */
  firstDelayMs: number;
  maxDelayMs: number;
  /** Launches in a row that exit before they serve, after which the server is given up on. */
  maxFailedStarts: number;
}

/** 1 s, 2 s, 4 s, 8 s, 16 s: five failed starts in about half a minute. */
export const defaultRestartPolicy: RestartPolicy = { firstDelayMs: 1000, maxDelayMs: 30_000, maxFailedStarts: 5 };

/**
 * What follows an exit, given the launches in a row that exited before they served (this one
 * included; 0 when the one that exited had served): a restart after `delayMs`, which is start
 * number `attempt` in a row, or giving up.
 */
export function afterExit(policy: RestartPolicy, failedStarts: number): { restart: true; delayMs: number; attempt: number } | { restart: false } {
  if (failedStarts >= policy.maxFailedStarts) return { restart: false };
  return { restart: true, delayMs: Math.min(policy.firstDelayMs * 2 ** failedStarts, policy.maxDelayMs), attempt: failedStarts + 1 };
}
