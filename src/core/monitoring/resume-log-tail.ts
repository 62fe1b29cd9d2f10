// A live tail that picks up after a line its reader already has (the `Last-Event-ID` of a stream
// that reconnects): the lines since then come from the stored log and from those still on their
// way to it, then the live ones, each once and in arrival order. Lines the store no longer holds
// are told as skipped (how many, from its record of pruned lines), so a reconnect never loses a
// line without saying so.
import type { Deps } from '../deps.js';
import type { LiveLogLine, LogTail, LogTailListener, LogsAfter, StoredLogLine } from '../ports/telemetry.js';

/** Lines resent at most on one resume (as many as the live tail holds for a reader); older ones are told as skipped. */
export const maxResumeLines = 10_000;

export interface Resumed {
  lines: StoredLogLine[];
  /** Lines after the position not resent: a count, or null when some may be gone from the log. */
  skipped: number | null;
  /** More lines follow these (a catch-up reads the oldest first, a page at a time). */
  more: boolean;
}

/** What to resend after `afterSeq`, from the store's answer and the lines not yet stored (read before it). */
export function planResume(stored: LogsAfter, unstored: readonly StoredLogLine[], afterSeq: number, limit: number): Resumed {
  const seen = new Set(stored.lines.map((l) => l.seq));
  // When the store's answer was cut to `limit`, an unstored line older than its oldest may be stored now and already counted.
  const oldestShown = stored.total > stored.lines.length ? (stored.lines[0]?.seq ?? Infinity) : -Infinity;
  const extra = unstored.filter((l) => l.seq > afterSeq && !seen.has(l.seq) && l.seq > oldestShown);
  const all = stored.lines.concat(extra).sort((a, b) => a.seq - b.seq);
  const total = stored.total + extra.length;
  const lines = all.slice(-limit);
  const holds = stored.holdsPosition || unstored.some((l) => l.seq === afterSeq);
  const pruned = holds ? 0 : stored.pruned;
  return { lines, skipped: pruned === null ? null : pruned + total - lines.length, more: false };
}

/** The oldest `limit` lines after `afterSeq` (a reader catching up page by page), from the store's oldest and the unstored. */
export function planCatchUp(stored: LogsAfter, unstored: readonly StoredLogLine[], afterSeq: number, limit: number): Resumed {
  const skipped = stored.holdsPosition || unstored.some((l) => l.seq === afterSeq) ? 0 : stored.pruned;
  // A full page from the store: the unstored lines all come after it.
  if (stored.total > stored.lines.length) return { lines: stored.lines, skipped, more: true };
  const seen = new Set(stored.lines.map((l) => l.seq));
  const all = stored.lines.concat(unstored.filter((l) => l.seq > afterSeq && !seen.has(l.seq))).sort((a, b) => a.seq - b.seq);
  return { lines: all.slice(0, limit), skipped, more: all.length > limit };
}

/**
 * The app's lines after `afterSeq`, from the store and from those on their way to it (read
 * first): the newest (a reconnect, older ones counted as skipped) or the oldest (a catch-up).
 */
export async function readMissed(deps: Pick<Deps, 'store' | 'telemetry'>, appId: string, afterSeq: number, keep: 'newest' | 'oldest' = 'newest'): Promise<Resumed> {
  const unstored = deps.telemetry.unstoredLogs(appId);
  const stored = await deps.store.logs.linesAfter(appId, afterSeq, maxResumeLines, keep);
  return (keep === 'newest' ? planResume : planCatchUp)(stored, unstored, afterSeq, maxResumeLines);
}

/** Subscribes to the app's live lines, then tells the listener what it missed after `afterSeq`, then the live ones. */
export async function resumeLogTail(deps: Pick<Deps, 'store' | 'telemetry'>, input: { appId: string; afterSeq: number; listener: LogTailListener }): Promise<LogTail> {
  const { listener } = input;
  let early: LiveLogLine[] | null = [];
  const tail = deps.telemetry.tailLogs(input.appId, {
    onLines: (lines) => (early ? early.push(...lines) : listener.onLines(lines)),
    onEnd: (reason) => listener.onEnd(reason),
    onSkipped: (count) => listener.onSkipped?.(count),
  });
  try {
    // Read after subscribing: a line is then live, not yet stored, or stored, and the seq tells repeats.
    const resumed = await readMissed(deps, input.appId, input.afterSeq);
    if (resumed.skipped !== 0) listener.onSkipped?.(resumed.skipped);
    const last = resumed.lines.at(-1)?.seq ?? input.afterSeq;
    const live = early.filter((l) => l.seq === null || l.seq > last);
    early = null;
    const lines = [...resumed.lines, ...live];
    if (lines.length > 0) listener.onLines(lines);
    return tail;
  } catch (error) {
    tail.close();
    throw error;
  }
}
