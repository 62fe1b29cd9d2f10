// Whatever a request failed with, classified once for every dialect: the HTTP status, what kind
// of failure it is, and its problems as phrases (fields named symbolically, so each dialect's
// error presenter words them). Unexpected errors become a generic 500 and are logged with the
// request id; nothing internal reaches a body.
import type { FastifyError, FastifyRequest } from 'fastify';
import { DomainError, isStorageFull } from '../domain/errors.js';
import type { ErrorCode } from '../domain/errors.js';
import { phraseOf } from '../domain/wording.js';
import type { Phrase } from '../domain/wording.js';
import { validationProblems } from './validation-messages.js';

/** The core's error codes, and what the HTTP layer itself refuses. */
export type FailureKind =
  | ErrorCode
  | 'validation'
  | 'bad_json'
  | 'too_large'
  | 'unsupported_media_type'
  | 'bad_request'
  | 'storage_full'
  | 'route_not_found';

export interface Failure {
  status: number;
  kind: FailureKind;
  /** One phrase per problem; the first one is the message. */
  problems: readonly Phrase[];
}

/** One table: a new core error code does not compile until it has a status. */
export const statusByCode: Record<ErrorCode, number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unavailable: 503,
  internal: 500,
};

const frameworkFailures: Record<string, { kind: FailureKind; message: string }> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { kind: 'unsupported_media_type', message: 'Unsupported content type: send application/json' },
  FST_ERR_CTP_BODY_TOO_LARGE: { kind: 'too_large', message: 'Request body is too large' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { kind: 'bad_json', message: 'Request body must not be empty' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { kind: 'bad_request', message: 'Content-Length does not match the body' },
};

export function toFailure(error: FastifyError | DomainError | Error, request: FastifyRequest): Failure {
  if (error instanceof DomainError) {
    const status = statusByCode[error.code];
    if (status >= 500) request.log.error({ err: error }, 'domain error');
    return { status, kind: error.code, problems: error.problems.length > 0 ? error.problems : [error.phrase] };
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    return { status: 400, kind: 'validation', problems: validationProblems(fastifyError.validation as never, fastifyError.validationContext ?? 'body') };
  }
  const status = fastifyError.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    const known = frameworkFailures[fastifyError.code];
    if (known) return { status, kind: known.kind, problems: [phraseOf(known.message)] };
    const badJson = error instanceof SyntaxError || fastifyError.code === 'FST_ERR_CTP_INVALID_JSON_BODY';
    return { status, kind: badJson ? 'bad_json' : 'bad_request', problems: [phraseOf(badJson ? 'Malformed JSON body' : 'Bad request')] };
  }
  if (isStorageFull(error)) {
    request.log.error({ err: error }, 'the disk is full');
    return { status: 507, kind: 'storage_full', problems: [phraseOf("Berth's disk is full, so this change could not be saved: free some space and try again")] };
  }
  request.log.error({ err: error }, 'unhandled error');
  return { status: 500, kind: 'internal', problems: [phraseOf('Internal server error')] };
}

export function routeNotFound(request: FastifyRequest): Failure {
  return { status: 404, kind: 'route_not_found', problems: [phraseOf(`Cannot ${request.method} ${request.url.split('?')[0] ?? ''}`)] };
}
