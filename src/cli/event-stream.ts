// Reads one of Berth's Server-Sent Event streams over fetch (the key in a header), event by event.
import { createParser } from 'eventsource-parser';
import type { EventSourceMessage } from 'eventsource-parser';
import { apiErrorMessage } from './api-client.js';
import { CliError, exitCodeForStatus, exitCodes } from './exit-codes.js';

interface StreamInput {
  url: string;
  key: string;
  signal?: AbortSignal;
  /** Sent as `Last-Event-ID`: the server starts after that event. */
  lastEventId?: string;
  onEvent: (event: EventSourceMessage) => 'stop' | void;
  /** The server's `retry:` (ms to wait before reconnecting). */
  onRetry?: (ms: number) => void;
}

/** Calls onEvent for each event until the stream ends, onEvent returns 'stop', or the signal aborts. */
export async function readEventStream(input: StreamInput): Promise<void> {
  let response: Response;
  const headers: Record<string, string> = { authorization: `Bearer ${input.key}`, accept: 'text/event-stream' };
  if (input.lastEventId !== undefined) headers['last-event-id'] = input.lastEventId;
  try {
    response = await fetch(input.url, { headers, signal: input.signal });
  } catch (error) {
    if (input.signal?.aborted) return;
    throw new CliError(`cannot reach Berth: ${error instanceof Error ? error.message : String(error)}`, exitCodes.unavailable);
  }
  if (!response.ok || !response.body) {
    const body: unknown = await response.json().catch(() => null);
    throw new CliError(apiErrorMessage(response.status, body), exitCodeForStatus(response.status));
  }
  let stopped = false;
  const parser = createParser({
    onEvent(event) {
      if (!stopped && input.onEvent(event) === 'stop') stopped = true;
    },
    onRetry: input.onRetry,
  });
  const decoder = new TextDecoder();
  const reader = response.body.getReader();
  try {
    while (!stopped) {
      const { done, value } = await reader.read();
      if (done) break;
      parser.feed(decoder.decode(value, { stream: true }));
    }
  } catch (error) {
    if (!input.signal?.aborted) throw new CliError(`the stream from Berth broke: ${error instanceof Error ? error.message : String(error)}`, exitCodes.unavailable);
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

/**
 * Follows a stream that only its `end` event (onEvent's 'stop') or the signal ends: when the
 * connection breaks or the server closes it (a reader that fell too far behind is cut off), it
 * connects again after the server's `retry:` pause with the last event id, as EventSource does,
 * so the server resends what was missed. A refusal (4xx) is an error, as on the first connect.
 */
export async function followEventStream(input: StreamInput & { onReconnect: (reason: string, inMs: number) => void }): Promise<void> {
  let lastEventId = input.lastEventId;
  let retryMs = 3_000;
  for (;;) {
    let stopped = false;
    let reason = 'Berth closed the stream';
    try {
      await readEventStream({
        ...input,
        lastEventId,
        onRetry: (ms) => (retryMs = ms),
        onEvent(event) {
          if (event.id !== undefined) lastEventId = event.id;
          const said = input.onEvent(event);
          if (said === 'stop') stopped = true;
          return said;
        },
      });
    } catch (error) {
      if (!(error instanceof CliError) || error.exitCode !== exitCodes.unavailable) throw error;
      reason = error.message;
    }
    if (stopped || input.signal?.aborted) return;
    input.onReconnect(reason, retryMs);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, retryMs);
      input.signal?.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    if (input.signal?.aborted) return;
  }
}
