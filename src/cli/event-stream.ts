// Reads one of Berth's Server-Sent Event streams over fetch (the key in a header), event by event.
import { createParser } from 'eventsource-parser';
import type { EventSourceMessage } from 'eventsource-parser';
import { apiErrorMessage } from './api-client.js';
import { CliError, exitCodeForStatus, exitCodes } from './exit-codes.js';

/** Calls onEvent for each event until the stream ends, onEvent returns 'stop', or the signal aborts. */
export async function readEventStream(input: { url: string; key: string; signal?: AbortSignal; onEvent: (event: EventSourceMessage) => 'stop' | void }): Promise<void> {
  let response: Response;
  try {
    response = await fetch(input.url, { headers: { authorization: `Bearer ${input.key}`, accept: 'text/event-stream' }, signal: input.signal });
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
