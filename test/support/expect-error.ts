// The NestJS error body every Dooor client parses (client-contract.md), asserted in one place.
import { expect } from 'vitest';
import type { HttpResult } from './test-berth.js';

export interface ErrorBody {
  statusCode: number;
  message: string | string[];
  error: string;
}

const reasons: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
};

/**
 * Asserts the status and that the body is exactly `{ statusCode, message, error }`; returns it.
 * A 400 lists its problems: `message` is always an array there, so a single expected string
 * means an array of exactly that string.
 */
export function expectError(result: HttpResult, status: number, message?: string | string[]): ErrorBody {
  expect(result.status, JSON.stringify(result.body)).toBe(status);
  const expected = status === 400 && typeof message === 'string' ? [message] : message;
  expect(result.body).toEqual({
    statusCode: status,
    message: expected ?? expect.anything(),
    error: reasons[status] ?? expect.any(String),
  });
  if (status === 400) expect(Array.isArray((result.body as ErrorBody).message), 'a 400 lists its problems as an array').toBe(true);
  const body = result.body as ErrorBody;
  expect(
    typeof body.message === 'string' ||
      (Array.isArray(body.message) && body.message.every((m) => typeof m === 'string')),
  ).toBe(true);
  return body;
}
