// Reading an app's log (spec 004): a page, newest first, filtered by severity and time, and the
// live tail. Both need `monitoring:read` in the app's workspace.
import { invalid } from '../../domain/errors.js';
import { findApp } from '../apps/find-app.js';
import type { AppRef } from '../apps/find-app.js';
import type { Deps } from '../deps.js';
import type { LogTail, LogTailListener, Severity, StoredLogLine } from '../ports/telemetry.js';
import { decodePageToken, encodePageToken } from './page-token.js';

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
  if (!Number.isInteger(limit) || limit < 1 || limit > maxLogLimit) invalid(`limit must be an integer between 1 and ${maxLogLimit}`);
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

export interface TailInput extends AppRef {
  listener: LogTailListener;
}

export async function tailLogs(deps: Pick<Deps, 'store' | 'telemetry'>, input: TailInput): Promise<LogTail> {
  const app = await findApp(deps, input, 'monitoring:read');
  return deps.telemetry.tailLogs(app.id, input.listener);
}
