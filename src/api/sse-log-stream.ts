// The live log stream as Server-Sent Events. Each batch of lines is one socket write; a comment
// line every heartbeat keeps proxies from closing an idle stream. A reader that cannot keep up
// is skipped ahead (lines dropped while its socket buffer is full, then, with the next lines or
// once the socket drains, an `event: skipped` with how many), and one that stays stuck is cut off,
// so no reader makes Berth buffer without bound. Each line carries its place in the stored log as
// the event `id:`, so a reader that reconnects (EventSource does by itself) sends `Last-Event-ID`
// and resumes after the last line it got (see `lastEventSeq`). Given `missedAfter`, a reader that
// falls behind loses nothing the log keeps: once its socket drains, the lines it missed are read
// back from the log (`sse-catch-up.ts`) instead of being told as skipped.
// Every dialect that streams logs uses it, each with its own shape of a line.
import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import type { LiveLogLine, LogTail, LogTailListener } from '../core/ports/telemetry.js';
import { createCatchUp } from './sse-catch-up.js';
import type { MissedLines } from './sse-catch-up.js';

/** The headers of a log stream request: `Last-Event-ID`, sent by a reconnecting reader. */
export const ResumeHeaders = Type.Object({
  'last-event-id': Type.Optional(
    Type.String({ pattern: '^[0-9]{1,15}$', description: "The `id` of the last event the reader got: the stream starts with the lines after it (those no longer kept are told in an `event: skipped`)" }),
  ),
});

/** The reader's last line, from a `Last-Event-ID` the schema has checked. */
export const lastEventSeq = (headers: { 'last-event-id'?: string }): number | undefined =>
  headers['last-event-id'] === undefined ? undefined : Number(headers['last-event-id']);

export interface SseOptions {
  heartbeatMs: number;
  /** A line on this dialect's wire. */
  present(line: LiveLogLine): unknown;
  /** Bytes the socket may hold unsent before lines are skipped. */
  maxBufferedBytes?: number;
  /** A reader whose buffer stays full this long is disconnected. */
  stuckCutoffMs?: number;
  /** The lines after `afterSeq` the log still has (and how many it cannot resend), to catch a reader up. */
  missedAfter?: (afterSeq: number) => Promise<MissedLines>;
}

/** Subscribes through `subscribe` (which authorizes, and may throw before anything is sent), then streams. */
export async function streamSse(
  reply: FastifyReply,
  subscribe: (listener: LogTailListener) => Promise<LogTail>,
  options: SseOptions,
): Promise<void> {
  const maxBuffered = options.maxBufferedBytes ?? 1024 * 1024;
  const stuckCutoffMs = options.stuckCutoffMs ?? 30_000;
  const res = reply.raw;
  let open = false;
  let early: LiveLogLine[] = [];
  let skipped = 0;
  /** Some skipped lines could not be counted (pruned from the log before a resume could resend them). */
  let skippedUnknown = false;
  let stuckSince: number | null = null;

  const close = () => {
    if (!res.writableEnded) res.end();
    res.destroy();
  };

  const { missedAfter } = options;
  const catchUp = missedAfter
    ? createCatchUp({
        missedAfter,
        skip: (count) => onSkipped(count),
        write(lines) {
          write(lines);
          stuckSince = null;
        },
        failed() {
          skippedUnknown = true;
          if (!res.writableEnded) res.write(skippedNotice());
        },
        closed: () => res.writableEnded || res.destroyed,
        hasRoom: () => res.writableLength <= maxBuffered,
      })
    : null;

  function send(lines: readonly LiveLogLine[]): void {
    if (!open) {
      early.push(...lines);
      return;
    }
    if (catchUp?.hold(lines)) return;
    const full = res.writableLength > maxBuffered;
    if (full || catchUp?.isBehind()) {
      if (catchUp?.canReadBack()) {
        // The log has them: read back later. Only lines it could not keep are lost.
        catchUp.fallBehind();
        skipped += lines.filter((l) => l.seq === null).length;
        if (!full) void catchUp.run();
      } else skipped += lines.length;
      if (full) {
        stuckSince ??= Date.now();
        if (Date.now() - stuckSince > stuckCutoffMs) close();
      }
      return;
    }
    stuckSince = null;
    write(lines);
  }

  function write(lines: readonly LiveLogLine[]): void {
    let out = skippedNotice();
    for (const line of lines) {
      out += `${line.seq === null ? '' : `id: ${line.seq}\n`}data: ${JSON.stringify(options.present(line))}\n\n`;
    }
    catchUp?.wrote(lines);
    res.write(out);
  }

  /** The `skipped` event owed to the reader (empty when none is), counted as told; `null` when how many is unknown. */
  function skippedNotice(): string {
    if (skipped === 0 && !skippedUnknown) return '';
    const notice = `event: skipped\ndata: {"skipped":${skippedUnknown ? 'null' : skipped}}\n\n`;
    skipped = 0;
    skippedUnknown = false;
    return notice;
  }
  const onSkipped = (count: number | null) => {
    if (count === null) skippedUnknown = true;
    else skipped += count;
  };

  const end = (reason: string) => {
    if (open && !res.writableEnded) res.write(`event: end\ndata: ${JSON.stringify({ reason })}\n\n`);
    close();
  };
  // Lines the live tail itself had to drop are in the log too: read back like any others missed.
  const onTailSkipped = (count: number | null) => {
    if (open && count !== null && catchUp?.canReadBack()) catchUp.fallBehind();
    else onSkipped(count);
  };
  const tail = await subscribe({ onLines: send, onEnd: end, onSkipped: onTailSkipped });
  reply.hijack();
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.write(': connected\nretry: 3000\n\n');
  open = true;
  const backlog = early;
  early = [];
  if (backlog.length > 0 || skipped > 0 || skippedUnknown) send(backlog);

  const heartbeat = setInterval(() => {
    if (res.writableLength > maxBuffered && stuckSince !== null && Date.now() - stuckSince > stuckCutoffMs) return close();
    res.write(`: heartbeat ${new Date().toISOString()}\n\n`);
  }, options.heartbeatMs);
  heartbeat.unref();
  // A burst that ends while the reader is behind sends no further line to carry the notice: it
  // goes as soon as the socket has drained.
  res.on('drain', () => {
    if (res.writableEnded || res.writableLength > maxBuffered) return;
    if (catchUp?.isBehind()) return void catchUp.run();
    if (skipped === 0 && !skippedUnknown) return;
    stuckSince = null;
    res.write(skippedNotice());
  });
  res.on('close', () => {
    clearInterval(heartbeat);
    tail.close();
  });
}
