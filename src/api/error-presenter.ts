// Each dialect answers failures in its own shape: an ErrorPresenter turns a classified failure
// into a status and body. Installed per encapsulated plugin, so a dialect's routes use its own;
// unknown routes are answered by the dialect that owns the path prefix.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { routeNotFound, toFailure } from './failure.js';
import type { Failure } from './failure.js';

export interface ErrorPresenter {
  present(failure: Failure, request: FastifyRequest): { status: number; body: unknown };
}

function send(reply: FastifyReply, answer: { status: number; body: unknown }) {
  return reply.status(answer.status).send(answer.body);
}

/** Every error thrown by a route of `scope` (hooks and body parsing included) leaves through `presenter`. */
export function installErrorPresenter(scope: FastifyInstance, presenter: ErrorPresenter): void {
  scope.setErrorHandler((error: Error, request, reply) => send(reply, presenter.present(toFailure(error, request), request)));
}

/** Routes Berth does not have: answered by the dialect whose prefix the path falls under, else `fallback`. */
export function installNotFound(app: FastifyInstance, dialects: readonly { prefixes: readonly string[]; presenter: ErrorPresenter }[], fallback: ErrorPresenter): void {
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const owner = dialects.find((d) => d.prefixes.some((prefix) => path === prefix || path.startsWith(`${prefix}/`)));
    return send(reply, (owner?.presenter ?? fallback).present(routeNotFound(request), request));
  });
}
