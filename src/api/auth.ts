// Authentication at the HTTP boundary: the key comes from `Authorization: Bearer` or
// `X-Api-Key` (or `?token=` on the few streaming routes that opt in with `config.queryToken`,
// since browsers' EventSource and WebSocket cannot send headers); the core decides whether it is valid. Authorization (workspace, scopes) is the core's.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Core } from '../core/create-core.js';
import { DomainError } from '../domain/errors.js';
import type { Principal } from '../domain/workspace.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export function presentedKey(headers: FastifyRequest['headers']): string | null {
  const authorization = headers.authorization;
  if (typeof authorization === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (match?.[1]) return match[1];
  }
  const apiKey = headers['x-api-key'];
  return typeof apiKey === 'string' && apiKey.trim() !== '' ? apiKey.trim() : null;
}

/** `?token=` of a route that opts in with `config: { queryToken: true }`. */
export function queryToken(request: FastifyRequest): string | null {
  const config = request.routeOptions.config as { queryToken?: boolean };
  if (!config.queryToken) return null;
  const token = (request.query as { token?: unknown } | undefined)?.token;
  return typeof token === 'string' && token !== '' ? token : null;
}

/** Requires a valid key on every route registered inside `app` (call within an encapsulated plugin). */
export function requireKey(app: FastifyInstance, core: Core): void {
  app.addHook('onRequest', async (request) => {
    request.principal = await core.authenticate({ plainKey: presentedKey(request.headers) ?? queryToken(request) });
  });
}

/** The authenticated caller; routes behind requireKey always have one. */
export function actorOf(request: { principal: Principal | null }): Principal {
  if (!request.principal) throw new DomainError('unauthorized', 'Invalid or missing API key');
  return request.principal;
}

/** The scheme and host the client called (for URLs Berth hands back, unless the operator set a public URL). */
export function requestOrigin(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

/** The caller and the app a route's `:wsId/:appId` path names. */
export function appRef(request: { principal: Principal | null; params: { wsId: string; appId: string } }) {
  return { actor: actorOf(request), workspaceId: request.params.wsId, appId: request.params.appId };
}
