// Restarting an app without a new revision: each instance of its serving revisions is marked for
// replacement, one at a time. A marked instance no longer counts towards its revision's replicas,
// so the planner starts a new one; the marked one keeps serving until the new one is ready (its
// revision has its replicas again without it), then leaves the route table and drains.

interface Marked {
  revisionId: string;
  resolve(by: string): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export class Replacements {
  private readonly marked = new Map<string, Marked>();

  /** Resolves with the id of the instance that took its place; rejects after `deadlineMs` (the mark is lifted). */
  mark(instanceId: string, revisionId: string, deadlineMs: number, onTimeout: () => string): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        if (!this.marked.delete(instanceId)) return;
        reject(new Error(onTimeout()));
      }, deadlineMs);
      timer.unref();
      this.marked.set(instanceId, { revisionId, resolve, reject, timer });
    });
  }

  has(instanceId: string): boolean {
    return this.marked.has(instanceId);
  }

  entries(): [string, string][] {
    return [...this.marked].map(([id, m]) => [id, m.revisionId]);
  }

  /** The instance leaves: replaced by `by`, or gone on its own (`by` null: nothing to wait for). */
  settle(instanceId: string, by: string | null): void {
    const m = this.marked.get(instanceId);
    if (!m) return;
    this.marked.delete(instanceId);
    clearTimeout(m.timer);
    m.resolve(by ?? instanceId);
  }
}

/** Which marked instances may go now: their revision has its wanted ready instances without them (pure). */
export function retirable(
  marked: readonly [string, string][],
  readyUnmarked: (revisionId: string) => string[],
  wanted: (revisionId: string) => number,
): { instanceId: string; by: string | null }[] {
  const taken = new Map<string, number>();
  const out: { instanceId: string; by: string | null }[] = [];
  for (const [instanceId, revisionId] of marked) {
    const ready = readyUnmarked(revisionId);
    const want = wanted(revisionId);
    if (ready.length < want) continue;
    // The newest ready instances are the replacements, one for each marked instance.
    const used = taken.get(revisionId) ?? 0;
    taken.set(revisionId, used + 1);
    out.push({ instanceId, by: ready[ready.length - 1 - used] ?? null });
  }
  return out;
}
