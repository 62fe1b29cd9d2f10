// Every failure leaves as a NestJS-shaped body: domain errors by their code, schema failures
// with one message per field problem, framework 4xx (bad JSON, content type, size) as they are,
// a full disk as 507, and anything unexpected as a generic 500 logged with the request id.
// Never a stack trace.
import type { FastifyError, FastifyInstance } from 'fastify';
import { DomainError, isStorageFull } from '../domain/errors.js';
import { errorBody, statusByCode } from './error-shape.js';
import { validationMessages } from './validation-messages.js';

const frameworkMessages: Record<string, string> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'Unsupported content type: send application/json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'Request body is too large',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'Request body must not be empty',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'Content-Length does not match the body',
};

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | DomainError | Error, request, reply) => {
    if (error instanceof DomainError) {
      const status = statusByCode[error.code];
      const message = error.details.length > 0 ? error.details : error.message;
      if (status >= 500) request.log.error({ err: error }, 'domain error');
      return reply.status(status).send(errorBody(status, message));
    }
    const fastifyError = error as FastifyError;
    if (fastifyError.validation) {
      const messages = validationMessages(fastifyError.validation as never, fastifyError.validationContext ?? 'body');
      return reply.status(400).send(errorBody(400, messages));
    }
    const status = fastifyError.statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      const message =
        frameworkMessages[fastifyError.code] ??
        (error instanceof SyntaxError || fastifyError.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ? 'Malformed JSON body' : 'Bad request');
      return reply.status(status).send(errorBody(status, message));
    }
    if (isStorageFull(error)) {
      request.log.error({ err: error }, 'the disk is full');
      return reply.status(507).send(errorBody(507, "Berth's disk is full, so this change could not be saved: free some space and try again"));
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send(errorBody(500, 'Internal server error'));
  });

  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send(errorBody(404, `Cannot ${request.method} ${request.url.split('?')[0] ?? ''}`)),
  );
}
