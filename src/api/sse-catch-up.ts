// Reads back from the stored log the lines a live-stream reader missed (its socket was full, or
// the live tail had to drop them), holding the live lines that come meanwhile, so the reader gets
// every line the log keeps, once and in arrival order. Only lines the log no longer has are lost,
// and those are told to the stream as skipped.
import type { LiveLogLine } from '../core/ports/telemetry.js';

/** The lines after a position the log still has, and how many it cannot resend (null: unknown). */
export interface MissedLines {
  lines: readonly LiveLogLine[];
  skipped: number | null;
  more: boolean;
}

export interface CatchUpHooks {
  missedAfter(afterSeq: number): Promise<MissedLines>;
  /** Lines the reader will not get: a count, or null when how many is unknown. */
  skip(count: number | null): void;
  /** Writes lines to the reader (after any skipped notice owed). */
  write(lines: readonly LiveLogLine[]): void;
  /** The log could not be read: the reader is to be told, now, that it missed lines. */
  failed(): void;
  /** The reader is gone. */
  closed(): boolean;
  /** The reader's socket has room for more. */
  hasRoom(): boolean;
}

export interface CatchUp {
  /** Notes lines written to the reader: a read-back starts after the last of them that has a place in the log. */
  wrote(lines: readonly LiveLogLine[]): void;
  /** Whether missed lines can be read back (the reader has a position in the log). */
  canReadBack(): boolean;
  /** Lines after the reader's position were not written: they are to be read back. */
  fallBehind(): void;
  isBehind(): boolean;
  /** While a read-back is under way, takes the live lines (held, or left to a later read); false otherwise. */
  hold(lines: readonly LiveLogLine[]): boolean;
  /** Writes what the reader missed since its position, then the live lines held meanwhile. */
  run(): Promise<void>;
}

/** Live lines held while the missed ones are read back; more, and another read follows. */
const MAX_HELD = 10_000;

export function createCatchUp(hooks: CatchUpHooks): CatchUp {
  /** The seq of the last line written: where a read-back starts. */
  let lastSeq: number | null = null;
  /** Lines after `lastSeq` were not written; they are to be read back from the log. */
  let behind = false;
  /** Live lines that came while the missed ones were read (null: no read under way). */
  let held: LiveLogLine[] | null = null;

  async function run(): Promise<void> {
    if (held || !behind || lastSeq === null) return;
    held = [];
    behind = false;
    try {
      const missed = await hooks.missedAfter(lastSeq);
      if (hooks.closed()) return;
      hooks.skip(missed.skipped);
      const since = lastSeq;
      // More to read: the lines held now come after those, on a later round.
      const during = missed.more ? [] : held.filter((l) => l.seq === null || l.seq > (missed.lines.at(-1)?.seq ?? since));
      if (missed.more) {
        behind = true;
        hooks.skip(held.filter((l) => l.seq === null).length);
      }
      held = null;
      hooks.write([...missed.lines, ...during]);
    } catch {
      // The log could not be read (the app was deleted, the store is away): the reader is told it missed lines.
      held = null;
      hooks.failed();
      return;
    }
    if (behind && hooks.hasRoom()) void run();
  }

  return {
    wrote(lines) {
      for (const line of lines) if (line.seq !== null) lastSeq = line.seq;
    },
    canReadBack: () => lastSeq !== null,
    fallBehind() {
      behind = true;
    },
    isBehind: () => behind,
    hold(lines) {
      if (!held) return false;
      if (held.length + lines.length > MAX_HELD) behind = true;
      else held.push(...lines);
      return true;
    },
    run,
  };
}
