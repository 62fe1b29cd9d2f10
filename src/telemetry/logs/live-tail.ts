// Fans live log lines out to stream subscribers. Lines published during one turn of the event
// loop reach each subscriber as one batch, so a chatty app costs one write per turn, not per line.
// A turn that brings more than a subscriber may hold loses the oldest, and says how many.
import type { LiveLogLine, LogLine, LogTail, LogTailListener } from '../../core/ports/telemetry.js';
import { createLineRing } from './line-ring.js';
import type { LineRing } from './line-ring.js';

interface Subscriber {
  pending: LineRing<LiveLogLine>;
  /** Lines replaced since the last delivery. */
  dropped: number;
  listener: LogTailListener;
}

export interface LiveTail {
  subscribe(appId: string, listener: LogTailListener): LogTail;
  /** `seq` is the line's place in the stored log, null when the store refused it (counted there). */
  publish(line: LogLine & { seq: number | null }): void;
  /** Apps that have subscribers. */
  apps(): string[];
  /** Tells every subscriber of the app that its stream is over. */
  end(appId: string, reason: string): void;
  subscribers(): number;
}

/** Lines kept per subscriber between two deliveries; beyond it the oldest are replaced. */
const MAX_PENDING = 10_000;

export function createLiveTail(): LiveTail {
  const byApp = new Map<string, Set<Subscriber>>();
  const due = new Set<Subscriber>();
  let scheduled = false;
  let count = 0;

  function deliver(): void {
    scheduled = false;
    const subs = [...due];
    due.clear();
    for (const sub of subs) {
      const lines = sub.pending.drain();
      const dropped = sub.dropped;
      sub.dropped = 0;
      try {
        if (dropped > 0) sub.listener.onSkipped?.(dropped);
        sub.listener.onLines(lines);
      } catch {
        // A subscriber's failure is its own (its connection closes); the others still get their lines.
      }
    }
  }

  return {
    subscribe(appId, listener) {
      const sub: Subscriber = { pending: createLineRing(MAX_PENDING), dropped: 0, listener };
      const set = byApp.get(appId) ?? new Set();
      set.add(sub);
      byApp.set(appId, set);
      count += 1;
      let closed = false;
      return {
        close() {
          if (closed) return;
          closed = true;
          count -= 1;
          set.delete(sub);
          due.delete(sub);
          if (set.size === 0 && byApp.get(appId) === set) byApp.delete(appId);
        },
      };
    },
    publish(line) {
      const set = byApp.get(line.appId);
      if (!set) return;
      for (const sub of set) {
        const replaced = sub.pending.push({
          seq: line.seq,
          timestamp: line.timestamp,
          severity: line.severity,
          message: line.message,
          instanceId: line.instanceId,
          revisionName: line.revisionName,
          stream: line.stream,
        });
        if (replaced) sub.dropped += 1;
        due.add(sub);
      }
      if (!scheduled) {
        scheduled = true;
        setImmediate(deliver);
      }
    },
    subscribers: () => count,
    apps: () => [...byApp.keys()],
    end(appId, reason) {
      for (const sub of byApp.get(appId) ?? []) {
        try {
          sub.listener.onEnd(reason);
        } catch {
          // Ending is best effort: the subscriber's connection is going away anyway.
        }
      }
    },
  };
}
