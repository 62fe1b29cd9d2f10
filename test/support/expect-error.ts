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

/** Asserts the status and that the body is exactly `{ statusCode, message, error }`; returns it. */
export function expectError(result: HttpResult, status: number, message?: string | string[]): ErrorBody {
  expect(result.status, JSON.stringify(result.body)).toBe(status);
  expect(result.body).toEqual({
    statusCode: status,
    message: message ?? expect.anything(),
    error: reasons[status] ?? expect.any(String),
  });
  const body = result.body as ErrorBody;
  expect(
    typeof body.message === 'string' ||
      (Array.isArray(body.message) && body.message.every((m) => typeof m === 'string')),
  ).toBe(true);
  return body;
}
