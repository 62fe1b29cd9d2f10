// Callers waiting for a revision to have N ready instances (a rollout or promote before it
// moves traffic). Settled whenever instance state changes; rejected on the first failure, when
// the app goes away, or when their deadline passes.

interface Waiter {
  revisionId: string;
  replicas: number;
  resolve(): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout | null;
}

export class WarmWaiters {
  private readonly waiters = new Set<Waiter>();

  /** `onTimeout` names why nothing was ready in time; the waiter is rejected with it. */
  wait(revisionId: string, replicas: number, deadlineMs: number, onTimeout: () => string): Promise<void> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { revisionId, replicas, resolve, reject, timer: null };
      waiter.timer = setTimeout(() => {
        if (!this.waiters.delete(waiter)) return;
        reject(new Error(onTimeout()));
      }, deadlineMs);
      waiter.timer.unref();
      this.waiters.add(waiter);
    });
  }

  /** Resolves the waiters whose revision now has enough ready instances. */
  settle(readyCount: (revisionId: string) => number): void {
    for (const waiter of this.waiters) {
      if (readyCount(waiter.revisionId) >= waiter.replicas) this.end(waiter, null);
    }
  }

  /** Fails every waiter of the revision with `reason`; true when there was one. */
  fail(revisionId: string, reason: string): boolean {
    let any = false;
    for (const waiter of this.waiters) {
      if (waiter.revisionId !== revisionId) continue;
      this.end(waiter, new Error(reason));
      any = true;
    }
    return any;
  }

  waiting(revisionId: string): boolean {
    for (const waiter of this.waiters) if (waiter.revisionId === revisionId) return true;
    return false;
  }

  private end(waiter: Waiter, error: Error | null): void {
    this.waiters.delete(waiter);
    if (waiter.timer) clearTimeout(waiter.timer);
    if (error) waiter.reject(error);
    else waiter.resolve();
  }
}
