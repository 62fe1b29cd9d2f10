// Turns instance output into stored log lines without letting one app hurt Berth or the others:
// lines wait in a bounded queue per app, a single writer stores them in batches taken round-robin
// across apps, and an app that outruns the writer loses its newest lines (counted, and reported
// by a WARNING line in its own log) instead of growing Berth's memory.
import type { Logger } from '../../core/ports/logger.js';
import type { LogLine, LogRepository, StoredLogLine } from '../../core/ports/telemetry.js';

export interface LogIngestOptions {
  logs: LogRepository;
  logger: Logger;
  /** Lines per write transaction. */
  batchLines?: number;
  /** How long the writer lets lines gather when few are waiting. */
  gatherMs?: number;
  /** Per app: the queue bounds beyond which new lines are dropped. */
  queueMaxLines?: number;
  queueMaxBytes?: number;
  /** All apps together: beyond it, the apps with more than their share of the queue lose lines. */
  totalMaxLines?: number;
  now?: () => Date;
}

interface AppQueue {
  lines: StoredLogLine[];
  bytes: number;
  dropped: number;
  /** An example of the app's lines, to attribute the drop notice. */
  lastLine: LogLine | null;
}

export interface IngestCounters {
  /** By app id: lines accepted, stored and dropped since start. */
  accepted: Map<string, number>;
  stored: Map<string, number>;
  dropped: Map<string, number>;
  queuedLines(): number;
  writeErrors: number;
}

export interface LogIngest {
  start(): Promise<void>;
  /** Queues a line; returns its `seq`, or null when it was dropped (counted, and noticed in the log). */
  accept(line: LogLine): number | null;
  /** The app's lines accepted but not yet stored (queued, or in the write under way), oldest first. */
  unstored(appId: string): StoredLogLine[];
  /** Resolves once every line accepted so far is stored (or the writer gave up on it). */
  flush(): Promise<void>;
  stop(): Promise<void>;
  counters: IngestCounters;
}

const bump = (map: Map<string, number>, key: string, by: number) => map.set(key, (map.get(key) ?? 0) + by);

export function createLogIngest(options: LogIngestOptions): LogIngest {
  const batchLines = options.batchLines ?? 2_000;
  const gatherMs = options.gatherMs ?? 25;
  const queueMaxLines = options.queueMaxLines ?? 200_000;
  const queueMaxBytes = options.queueMaxBytes ?? 32 * 1024 * 1024;
  const totalMaxLines = options.totalMaxLines ?? 4 * queueMaxLines;
  const now = options.now ?? (() => new Date());
  const queues = new Map<string, AppQueue>();
  let queued = 0;
  let seq = 0;
  let running = false;
  let writing = false;
  /** The batch being written: neither queued nor readable from the store yet. */
  let inFlight: readonly StoredLogLine[] = [];
  let loop: Promise<void> | null = null;
  let wake: (() => void) | null = null;
  let idleWaiters: (() => void)[] = [];
  /** Where the round-robin resumes, so the first app of the map gets no head start. */
  let cursor = 0;
  const counters: IngestCounters = {
    accepted: new Map(),
    stored: new Map(),
    dropped: new Map(),
    queuedLines: () => queued,
    writeErrors: 0,
  };

  function queueOf(appId: string): AppQueue {
    let queue = queues.get(appId);
    if (!queue) {
      queue = { lines: [], bytes: 0, dropped: 0, lastLine: null };
      queues.set(appId, queue);
    }
    return queue;
  }

  function accept(line: LogLine): number | null {
    const queue = queueOf(line.appId);
    bump(counters.accepted, line.appId, 1);
    const overShare = queued >= totalMaxLines && queue.lines.length >= totalMaxLines / queues.size;
    if (overShare || queue.lines.length >= queueMaxLines || queue.bytes + line.message.length > queueMaxBytes) {
      queue.dropped += 1;
      queue.lastLine ??= line;
      bump(counters.dropped, line.appId, 1);
      return null;
    }
    const stored = { ...line, seq: seq++ };
    queue.lines.push(stored);
    queue.bytes += line.message.length;
    queue.lastLine = line;
    queued += 1;
    if (wake) {
      const w = wake;
      wake = null;
      w();
    }
    return stored.seq;
  }

  function unstored(appId: string): StoredLogLine[] {
    const writing = inFlight.filter((line) => line.appId === appId);
    return writing.concat(queues.get(appId)?.lines ?? []);
  }

  function dropNotice(queue: AppQueue): StoredLogLine | null {
    if (queue.dropped === 0 || !queue.lastLine) return null;
    const notice: StoredLogLine = {
      seq: seq++,
      appId: queue.lastLine.appId,
      revisionName: queue.lastLine.revisionName,
      instanceId: queue.lastLine.instanceId,
      stream: 'platform',
      severity: 'WARNING',
      timestamp: now(),
      message: `Berth dropped ${queue.dropped} log lines: the app wrote faster than they could be stored`,
    };
    queue.dropped = 0;
    return notice;
  }

  /** Up to `batchLines`, shared fairly: every waiting app gets an equal slice, leftovers go round. */
  function takeBatch(): StoredLogLine[] {
    const batch: StoredLogLine[] = [];
    const waiting = [...queues.values()].filter((q) => q.lines.length > 0 || q.dropped > 0);
    if (waiting.length === 0) return batch;
    const start = cursor % waiting.length;
    const ordered = [...waiting.slice(start), ...waiting.slice(0, start)];
    cursor += 1;
    let room = batchLines;
    for (let pass = 0; pass < 2 && room > 0; pass++) {
      const share = Math.max(1, Math.floor(room / ordered.length));
      for (const queue of ordered) {
        if (room <= 0) break;
        const notice = pass === 0 ? dropNotice(queue) : null;
        if (notice) batch.push(notice);
        const taken = queue.lines.splice(0, Math.min(share, room, queue.lines.length));
        for (const line of taken) queue.bytes -= line.message.length;
        queued -= taken.length;
        room -= taken.length;
        for (const line of taken) batch.push(line);
      }
    }
    for (const [appId, queue] of queues) {
      if (queue.lines.length === 0 && queue.dropped === 0) queues.delete(appId);
    }
    return batch;
  }

  /** Stores a batch, trying twice more after a pause; a batch that still fails is counted and logged. */
  async function write(batch: StoredLogLine[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await options.logs.append(batch);
        for (const line of batch) bump(counters.stored, line.appId, 1);
        return;
      } catch (error) {
        counters.writeErrors += 1;
        if (attempt >= 3) {
          options.logger.error({ error: error instanceof Error ? error.message : String(error), lines: batch.length }, 'could not store log lines');
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
      }
    }
  }

  function settleIdle(): void {
    if (queued > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const w of waiters) w();
  }

  async function run(): Promise<void> {
    while (running || queued > 0) {
      if (queued === 0 && ![...queues.values()].some((q) => q.dropped > 0)) {
        settleIdle();
        if (!running) break;
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      // A few lines: let more gather so one transaction carries them (bounded delay).
      if (queued < batchLines && running) await new Promise((resolve) => setTimeout(resolve, gatherMs));
      const batch = takeBatch();
      writing = true;
      inFlight = batch;
      if (batch.length > 0) await write(batch);
      inFlight = [];
      writing = false;
    }
    settleIdle();
  }

  return {
    counters,
    async start() {
      seq = await options.logs.nextSeq();
      running = true;
      loop = run();
    },
    accept,
    unstored,
    flush() {
      if (queued === 0 && !writing) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    async stop() {
      running = false;
      if (wake) {
        const w = wake;
        wake = null;
        w();
      }
      await loop;
    },
  };
}
