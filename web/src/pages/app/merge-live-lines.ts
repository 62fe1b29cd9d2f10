// A newest page of log history meets the live lines that arrived while it was being read: the
// page may already hold some of them (stored before the query) and not others (still on their
// way to the store), so the page wins and only the live lines it lacks follow it.
import type { LogEntry } from '../../api/types';

/** Its place in the log when it has one; otherwise what it says, when and where. */
const keyOf = (line: LogEntry) => (typeof line.seq === 'number' ? `#${line.seq}` : `${line.timestamp}\n${line.instanceId}\n${line.message}`);

/** `history` oldest first; `live` in arrival order. */
export function mergeLiveLines(history: LogEntry[], live: LogEntry[]): LogEntry[] {
  if (live.length === 0) return history;
  const known = new Set(history.map(keyOf));
  return history.concat(live.filter((line) => !known.has(keyOf(line))));
}
