// Build logs as they are written: numbered lines kept in memory while a build runs (so a
// follower gets everything so far, then every new line, with no gap), flushed to the store in
// batches, and closed when the deployment finishes.
import type { BuildLog, BuildLogHub, BuildLogRepository } from '../../core/ports/builds.js';
import type { Clock } from '../../core/ports/clock.js';
import type { Logger } from '../../core/ports/logger.js';
import { stripVTControlCharacters } from 'node:util';
import type { BuildLogLine } from '../../domain/build.js';

/**
 * Build tools colour their output when CI is set (steps run with CI=true), which a log read in
 * the console, through the API or in an alert shows as "[36m…": lines are kept as plain text.
 */
const plain = (text: string) => (text.includes('\x1b') || text.includes('\x9b') ? stripVTControlCharacters(text) : text);

interface Follower {
  onLine(line: BuildLogLine): void;
  onEnd(): void;
}

interface Entry {
  lines: BuildLogLine[];
  pending: BuildLogLine[];
  followers: Set<Follower>;
  timer: NodeJS.Timeout | null;
  flushing: Promise<void>;
}

export interface BuildLogHubOptions {
  repository: BuildLogRepository;
  clock: Clock;
  logger: Logger;
  /** Lines kept per build; later ones are dropped after one notice. */
  maxLines?: number;
  flushMs?: number;
}

export function createBuildLogHub(options: BuildLogHubOptions): BuildLogHub {
  const maxLines = options.maxLines ?? 20_000;
  const flushMs = options.flushMs ?? 250;
  const entries = new Map<string, Entry>();

  const entryOf = (deploymentId: string): Entry => {
    let entry = entries.get(deploymentId);
    if (!entry) {
      entry = { lines: [], pending: [], followers: new Set(), timer: null, flushing: Promise.resolve() };
      entries.set(deploymentId, entry);
    }
    return entry;
  };

  const flush = (deploymentId: string, entry: Entry): Promise<void> => {
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = null;
    const batch = entry.pending.splice(0);
    if (batch.length === 0) return entry.flushing;
    entry.flushing = entry.flushing
      .then(() => options.repository.append(deploymentId, batch))
      .catch((error: unknown) => {
        // Usually a full disk, when the build's own output filled it: the lines that say so are
        // kept for the next flush, which runs once the failed build's space is given back.
        entry.pending.unshift(...batch);
        options.logger.error({ err: error, deploymentId }, 'could not store build log lines; kept for the next try');
      });
    return entry.flushing;
  };

  const notify = (entry: Entry, line: BuildLogLine) => {
    for (const follower of entry.followers) {
      try {
        follower.onLine(line);
      } catch (error) {
        options.logger.warn({ err: error }, 'a build log follower failed');
      }
    }
  };

  return {
    writer(deploymentId): BuildLog {
      return {
        line(text) {
          const entry = entryOf(deploymentId);
          const seq = entry.lines.length + 1;
          if (seq > maxLines + 1) return;
          const line = { seq, at: options.clock.now(), line: seq > maxLines ? `[log] more than ${maxLines} lines: the rest is not kept` : plain(text) };
          entry.lines.push(line);
          entry.pending.push(line);
          notify(entry, line);
          if (!entry.timer) entry.timer = setTimeout(() => void flush(deploymentId, entry), flushMs);
        },
      };
    },

    async close(deploymentId) {
      const entry = entries.get(deploymentId);
      if (!entry) return;
      await flush(deploymentId, entry);
      if (entry.pending.length > 0) await flush(deploymentId, entry); // one more try for lines a failure kept
      entries.delete(deploymentId);
      for (const follower of entry.followers) follower.onEnd();
    },

    follow(deploymentId, onLine, onEnd) {
      const entry = entries.get(deploymentId);
      if (!entry) return null;
      const follower = { onLine, onEnd };
      entry.followers.add(follower);
      return { replay: [...entry.lines], stop: () => entry.followers.delete(follower) };
    },

    expect(deploymentId) {
      entryOf(deploymentId);
    },

    unflushed(deploymentId) {
      const entry = entries.get(deploymentId);
      return entry ? [...entry.lines] : null;
    },
  };
}
