// Requests the edge has sent to each app instance and not yet finished, so an instance taken out
// of the route table is only stopped once what it is serving has been answered. Origins that
// left the route table can be watched: each change of their count is reported (edge workers
// tell the supervisor, which answers the reconciler's drain).

export class InFlight {
  private readonly byOrigin = new Map<string, number>();
  private readonly watched = new Set<string>();
  /** Called on every change of a watched origin's count. */
  onWatchedChange: ((origin: string, count: number) => void) | null = null;

  add(origin: string): void {
    const count = (this.byOrigin.get(origin) ?? 0) + 1;
    this.byOrigin.set(origin, count);
    if (this.watched.size > 0 && this.watched.has(origin)) this.onWatchedChange?.(origin, count);
  }

  done(origin: string): void {
    const left = (this.byOrigin.get(origin) ?? 1) - 1;
    if (left <= 0) this.byOrigin.delete(origin);
    else this.byOrigin.set(origin, left);
    if (this.watched.size > 0 && this.watched.has(origin)) {
      if (left <= 0) this.watched.delete(origin);
      this.onWatchedChange?.(origin, Math.max(0, left));
    }
  }

  count(origin: string): number {
    return this.byOrigin.get(origin) ?? 0;
  }

  /** Watches every busy origin not in `routed` (and stops watching routed ones); returns their counts now. */
  watchUnrouted(routed: ReadonlySet<string>): Map<string, number> {
    for (const origin of this.watched) if (routed.has(origin)) this.watched.delete(origin);
    const busy = new Map<string, number>();
    for (const [origin, count] of this.byOrigin) {
      if (routed.has(origin)) continue;
      this.watched.add(origin);
      busy.set(origin, count);
    }
    return busy;
  }
}
