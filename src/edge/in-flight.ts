// Requests the edge has sent to each app instance and not yet finished, so an instance taken out
// of the route table is only stopped once what it is serving has been answered. Origins that
// left the route table can be watched: each change of their count is reported (edge workers
// tell the supervisor, which answers the reconciler's drain).

/** One origin's count, updated in place: one map lookup per change. */
interface Slot {
  count: number;
}

export class InFlight {
  /** Slots stay at 0 while their origin is routed (no delete and re-insert per request at low load). */
  private readonly byOrigin = new Map<string, Slot>();
  private readonly watched = new Set<string>();
  /** Over every origin: Berth's own shutdown waits for it to reach 0. */
  private all = 0;
  /** Called on every change of a watched origin's count. */
  onWatchedChange: ((origin: string, count: number) => void) | null = null;

  add(origin: string): void {
    let slot = this.byOrigin.get(origin);
    if (slot === undefined) this.byOrigin.set(origin, (slot = { count: 0 }));
    const count = ++slot.count;
    this.all++;
    if (this.watched.size > 0 && this.watched.has(origin)) this.onWatchedChange?.(origin, count);
  }

  done(origin: string): void {
    const slot = this.byOrigin.get(origin);
    const left = slot === undefined ? 0 : Math.max(0, slot.count - 1);
    if (slot !== undefined && slot.count > 0) {
      slot.count = left;
      this.all--;
    }
    if (this.watched.size > 0 && this.watched.has(origin)) {
      if (left === 0) {
        this.watched.delete(origin);
        this.byOrigin.delete(origin);
      }
      this.onWatchedChange?.(origin, left);
    }
  }

  count(origin: string): number {
    return this.byOrigin.get(origin)?.count ?? 0;
  }

  /** Requests in flight to any origin. */
  total(): number {
    return this.all;
  }

  /** Watches every busy origin not in `routed` (and stops watching routed ones); returns their counts now. */
  watchUnrouted(routed: ReadonlySet<string>): Map<string, number> {
    for (const origin of this.watched) if (routed.has(origin)) this.watched.delete(origin);
    const busy = new Map<string, number>();
    for (const [origin, { count }] of this.byOrigin) {
      if (routed.has(origin)) continue;
      if (count === 0) {
        this.byOrigin.delete(origin);
        continue;
      }
      this.watched.add(origin);
      busy.set(origin, count);
    }
    return busy;
  }
}
