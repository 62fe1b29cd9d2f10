// The command's way to a (possibly remote) Berth: the public HTTP API only, through openapi-fetch
// typed by the types generated from docs/openapi.json. Errors carry the API's own message.
import createClient from 'openapi-fetch';
import type { paths } from './api/openapi.js';
import { CliError, exitCodeForStatus, exitCodes } from './exit-codes.js';

export type Api = ReturnType<typeof createClient<paths>>;

export interface Connection {
  url: string;
  key: string;
  workspaceId: string;
  api: Api;
}

export function createApi(url: string, key: string): Api {
  return createClient<paths>({ baseUrl: url, headers: { authorization: `Bearer ${key}` } });
}

/** The API's message(s) for a non-2xx answer, as the API worded them (NestJS shape, or spec 002's `{ error: { message } }`). */
export function apiErrorMessage(status: number, body: unknown): string {
  const nested = (body as { error?: { message?: unknown } } | null)?.error;
  const message = (body as { message?: unknown } | null)?.message ?? (typeof nested === 'object' && nested !== null ? nested.message : undefined);
  if (Array.isArray(message)) return message.map(String).join('; ');
  if (typeof message === 'string' && message !== '') return message;
  return `Berth answered ${status}`;
}

type Answer<T> = { data?: T; error?: unknown; response: Response };

export async function unwrap<T>(call: Promise<Answer<T>>): Promise<T> {
  let answer: Answer<T>;
  try {
    answer = await call;
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    throw new CliError(`cannot reach Berth: ${cause ?? (error instanceof Error ? error.message : String(error))}`, exitCodes.unavailable);
  }
  if (!answer.response.ok) throw new CliError(apiErrorMessage(answer.response.status, answer.error), exitCodeForStatus(answer.response.status));
  return answer.data as T;
}
