// Callers waiting for a revision to have N ready instances (a rollout or promote before it
// moves traffic). Settled whenever instance state changes; rejected on the first failure.

interface Waiter {
  revisionId: string;
  replicas: number;
  resolve(): void;
  reject(error: Error): void;
}

export class WarmWaiters {
  private readonly waiters = new Set<Waiter>();

  wait(revisionId: string, replicas: number): Promise<void> {
    return new Promise((resolve, reject) => this.waiters.add({ revisionId, replicas, resolve, reject }));
  }

  /** Resolves the waiters whose revision now has enough ready instances. */
  settle(readyCount: (revisionId: string) => number): void {
    for (const waiter of this.waiters) {
      if (readyCount(waiter.revisionId) >= waiter.replicas) {
        this.waiters.delete(waiter);
        waiter.resolve();
      }
    }
  }

  /** Fails every waiter of the revision with the reason one of its instances failed. */
  fail(revisionId: string, reason: string): boolean {
    let any = false;
    for (const waiter of this.waiters) {
      if (waiter.revisionId !== revisionId) continue;
      this.waiters.delete(waiter);
      waiter.reject(new Error(reason));
      any = true;
    }
    return any;
  }

  waiting(revisionId: string): boolean {
    for (const waiter of this.waiters) if (waiter.revisionId === revisionId) return true;
    return false;
  }
}
