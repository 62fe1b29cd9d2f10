// Restart pacing for crashing revisions: exponential backoff between restarts, and a crash loop
// once failures keep coming within a window. Reset after an instance stays ready long enough.

export interface CrashPolicy {
  baseDelayMs: number;
  maxDelayMs: number;
  /** This many failures within `loopWindowMs` is a crash loop. */
  loopThreshold: number;
  loopWindowMs: number;
  /** An instance ready for this long clears the revision's failure history. */
  healthyAfterMs: number;
}

export const defaultCrashPolicy: CrashPolicy = {
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  loopThreshold: 5,
  loopWindowMs: 120_000,
  healthyAfterMs: 30_000,
};

export interface CrashRecord {
  failures: number[];
  /** Instances started in place of failed ones. */
  totalRestarts: number;
  /** Failures not yet replaced by a new instance: the next start of the revision is a restart. */
  owedRestarts: number;
  nextStartAt: number;
  lastReason: string | null;
  lastFailureAt: number | null;
}

export const emptyCrashRecord = (): CrashRecord => ({
  failures: [],
  totalRestarts: 0,
  owedRestarts: 0,
  nextStartAt: 0,
  lastReason: null,
  lastFailureAt: null,
});

export function recordFailure(record: CrashRecord, now: number, reason: string, policy: CrashPolicy): CrashRecord {
  const failures = [...record.failures.filter((t) => now - t < policy.loopWindowMs), now];
  const delay = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failures.length - 1));
  return {
    failures,
    totalRestarts: record.totalRestarts,
    owedRestarts: record.owedRestarts + 1,
    nextStartAt: now + delay,
    lastReason: reason,
    lastFailureAt: now,
  };
}

export function isCrashLooping(record: CrashRecord, now: number, policy: CrashPolicy): boolean {
  return record.failures.filter((t) => now - t < policy.loopWindowMs).length >= policy.loopThreshold;
}

/** An instance is starting: in place of a failed one while any failure is owed a replacement. */
export function recordStart(record: CrashRecord): CrashRecord {
  return record.owedRestarts > 0 ? { ...record, owedRestarts: record.owedRestarts - 1, totalRestarts: record.totalRestarts + 1 } : record;
}

export function recordHealthy(record: CrashRecord): CrashRecord {
  return { ...record, failures: [], nextStartAt: 0 };
}
