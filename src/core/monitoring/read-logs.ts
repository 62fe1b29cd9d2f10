// Reading an app's log (spec 004): a page, newest first, filtered by severity and time, and the
// live tail. Both need `monitoring:read` in the app's workspace.
import type { App } from '../../domain/app.js';
import { invalid } from '../../domain/errors.js';
import { field, say } from '../../domain/wording.js';
import { findApp } from '../apps/find-app.js';
import type { AppRef } from '../apps/find-app.js';
import type { Deps } from '../deps.js';
import type { LiveLogLine, LogTail, LogTailListener, Severity, StoredLogLine } from '../ports/telemetry.js';
import { decodePageToken, encodePageToken } from './page-token.js';
import { readMissed, resumeLogTail } from './resume-log-tail.js';
import type { Resumed } from './resume-log-tail.js';

export const maxLogLimit = 1_000;
export const defaultLogLimit = 100;

export interface LogsInput extends AppRef {
  limit?: number;
  severity?: Severity;
  startTime?: Date;
  endTime?: Date;
  pageToken?: string;
}

export async function queryLogs(
  deps: Pick<Deps, 'store'>,
  input: LogsInput,
): Promise<{ lines: StoredLogLine[]; nextPageToken: string | null }> {
  const app = await findApp(deps, input, 'monitoring:read');
  const limit = input.limit ?? defaultLogLimit;
  if (!Number.isInteger(limit) || limit < 1 || limit > maxLogLimit) invalid(say`${field('limit')} must be an integer between 1 and ${maxLogLimit}`);
  if (input.startTime && input.endTime && input.startTime > input.endTime) invalid('startTime must not be after endTime');
  const page = await deps.store.logs.query({
    appId: app.id,
    limit,
    severity: input.severity ?? null,
    startTime: input.startTime ?? null,
    endTime: input.endTime ?? null,
    after: input.pageToken ? decodePageToken(input.pageToken) : null,
  });
  return { lines: page.lines, nextPageToken: page.next ? encodePageToken(page.next) : null };
}

/** The app's last `lines` log lines, oldest first (as a terminal shows a tail). */
export async function tailAppLog(deps: Pick<Deps, 'store'>, input: AppRef & { lines?: number }): Promise<{ app: App; lines: StoredLogLine[] }> {
  const app = await findApp(deps, input, 'monitoring:read');
  return { app, lines: await lastLines(deps, app.id, input.lines) };
}

async function lastLines(deps: Pick<Deps, 'store'>, appId: string, lines: number | undefined): Promise<StoredLogLine[]> {
  const limit = lines ?? defaultLogLimit;
  if (!Number.isInteger(limit) || limit < 1 || limit > maxLogLimit) invalid(say`${field('limit')} must be an integer between 1 and ${maxLogLimit}`);
  const page = await deps.store.logs.query({ appId, limit, severity: null, startTime: null, endTime: null, after: null });
  return [...page.lines].reverse();
}

/**
 * The last `lines` lines, then every new one as it is written (until the listener's tail is
 * closed or the app is deleted). Lines written while the backlog is read come once, after it.
 * With `afterSeq` (a reconnecting reader's last line) the backlog is what it missed instead.
 */
export async function followAppLog(deps: Pick<Deps, 'store' | 'telemetry'>, input: AppRef & { lines?: number; afterSeq?: number; listener: LogTailListener }): Promise<LogTail> {
  const app = await findApp(deps, input, 'monitoring:read');
  if (input.afterSeq !== undefined) return resumeLogTail(deps, { appId: app.id, afterSeq: input.afterSeq, listener: input.listener });
  let early: LiveLogLine[] | null = [];
  const tail = deps.telemetry.tailLogs(app.id, {
    onLines: (lines) => (early ? early.push(...lines) : input.listener.onLines(lines)),
    onEnd: (reason) => input.listener.onEnd(reason),
    onSkipped: (count) => input.listener.onSkipped?.(count),
  });
  try {
    const backlog = await lastLines(deps, app.id, input.lines);
    input.listener.onLines(backlog);
    const seen = new Set(backlog.map((line) => line.seq));
    const after = early.filter((line) => line.seq === null || !seen.has(line.seq));
    early = null;
    if (after.length > 0) input.listener.onLines(after);
    return tail;
  } catch (error) {
    tail.close();
    throw error;
  }
}

export interface TailInput extends AppRef {
  listener: LogTailListener;
  /** The `seq` of the last line the reader has: it gets the lines since then first. */
  afterSeq?: number;
}

export async function tailLogs(deps: Pick<Deps, 'store' | 'telemetry'>, input: TailInput): Promise<LogTail> {
  const app = await findApp(deps, input, 'monitoring:read');
  if (input.afterSeq !== undefined) return resumeLogTail(deps, { appId: app.id, afterSeq: input.afterSeq, listener: input.listener });
  return deps.telemetry.tailLogs(app.id, input.listener);
}

/** What a stream reader missed after `afterSeq` (it fell behind), oldest first, a page at a time. */
export async function missedLogs(deps: Pick<Deps, 'store' | 'telemetry'>, input: AppRef & { afterSeq: number }): Promise<Resumed> {
  const app = await findApp(deps, input, 'monitoring:read');
  return readMissed(deps, app.id, input.afterSeq, 'oldest');
}
