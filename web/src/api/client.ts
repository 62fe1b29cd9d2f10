// The console's only way to Berth: openapi-fetch typed by the generated `paths` of
// docs/openapi.json, with the signed-in key added to every request. Errors keep the API's words.
import createClient from 'openapi-fetch';
import type { components, paths } from './openapi';

export type Schemas = components['schemas'];
export const api = createClient<paths>({ baseUrl: window.location.origin });

let currentKey: string | null = null;
export function setApiKey(key: string | null): void {
  currentKey = key;
}
export function apiKey(): string | null {
  return currentKey;
}

/** Called when Berth refuses the signed-in key (revoked, expired): the session is over. */
let onKeyRefused: ((messages: string[]) => void) | null = null;
export function setKeyRefusedHandler(handler: ((messages: string[]) => void) | null): void {
  onKeyRefused = handler;
}

api.use({
  onRequest({ request }) {
    if (currentKey && !request.headers.has('authorization')) request.headers.set('authorization', `Bearer ${currentKey}`);
    return request;
  },
});

/** An API answer that was not 2xx, with the message(s) the API wrote. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly messages: string[],
  ) {
    super(messages.join('\n'));
    this.name = 'ApiError';
  }
}

export function errorFrom(status: number, body: unknown): ApiError {
  const message = (body as { message?: unknown } | null)?.message;
  if (Array.isArray(message)) return new ApiError(status, message.map(String));
  if (typeof message === 'string' && message !== '') return new ApiError(status, [message]);
  return new ApiError(status, [`Berth answered ${status}${status >= 500 ? ': try again in a moment' : ''}`]);
}

type Answer<T> = { data?: T; error?: unknown; response: Response };

/** The body of a 2xx answer, or an ApiError carrying the API's message. */
export async function unwrap<T>(call: Promise<Answer<T>>): Promise<T> {
  let answer: Answer<T>;
  try {
    answer = await call;
  } catch (error) {
    throw new ApiError(0, [`Berth could not be reached (${error instanceof Error ? error.message : String(error)})`]);
  }
  if (!answer.response.ok) {
    const error = errorFrom(answer.response.status, answer.error);
    const sentKey = answer.response.status === 401 && currentKey !== null;
    if (sentKey) onKeyRefused?.(error.messages);
    throw error;
  }
  return answer.data as T;
}

/** Path to an event stream with the key as `?token=` (EventSource cannot send headers). */
export function streamUrl(path: string): string {
  const url = new URL(path, window.location.origin);
  if (currentKey) url.searchParams.set('token', currentKey);
  return url.toString();
}
