// The edge's HTTP request path: host → app, access check for private apps, revision choice,
// then proxy; every request is counted for its app (and revision, once one is chosen).
import { performance } from 'node:perf_hooks';
import { checkAccess, type AccessContext, type AccessDecision } from './access.js';
import { chooseTarget } from './choose-target.js';
import { nextEndpoint, type CompiledApp, type CompiledTarget } from './compiled-table.js';
import type { EdgeContext } from './edge-context.js';
import { sendErrorPage, unservedKind } from './error-pages.js';
import { upstreamRequestHeaders } from './forward-headers.js';
import type { ClientExchange } from './front/client-exchange.js';
import { matchHost } from './host-route.js';
import { clientClosedStatus, proxyRequest } from './proxy-request.js';
import { carriedToken, pinnedEndpoint } from './session-affinity.js';

/** Where ACME HTTP-01 validation requests arrive (RFC 8555 §8.3). */
export const challengePrefix = '/.well-known/acme-challenge/';

/** Counts a response the edge answers itself (proxied ones count themselves). */
function track(client: ClientExchange, app: CompiledApp, target: CompiledTarget | null, start: number): void {
  client.listen({
    drained() {},
    closed() {
      const status = client.headersSent ? client.statusCode : clientClosedStatus;
      const ms = performance.now() - start;
      app.counters.total.record(status, ms);
      if (target !== null) target.counters.record(status, ms);
    },
  });
}

/** One request once its app is known. */
interface Call {
  client: ClientExchange;
  app: CompiledApp;
  tag: string | null;
  start: number;
}

export function createRequestHandler(ctx: EdgeContext): (client: ClientExchange) => void {
  const access: AccessContext = { keys: ctx.keys, now: ctx.now, secure: ctx.secure, canRedirect: true };
  const secureAccess: AccessContext = { ...access, secure: true };

  function forward(call: Call, path: string): void {
    const { client, app, start } = call;
    if (app.route.noHttp !== undefined) {
      app.counters.unserved++;
      sendErrorPage(client, unservedKind(app.route));
      return;
    }
    const carried = app.pins === null ? null : carriedToken(client.headers.cookie);
    const pinned = pinnedEndpoint(app, carried, call.tag);
    const chosen = pinned?.target ?? chooseTarget(app, call.tag);
    if (chosen === 'unknown_tag') {
      track(client, app, null, start);
      sendErrorPage(client, 'not_found');
      return;
    }
    const endpoint = typeof chosen === 'string' ? null : (pinned?.endpoint ?? nextEndpoint(chosen));
    if (endpoint === null || typeof chosen === 'string') {
      app.counters.unserved++;
      sendErrorPage(client, unservedKind(app.route));
      return;
    }
    const headers = upstreamRequestHeaders(client, ctx.httpForward);
    proxyRequest(ctx.proxy, {
      client,
      target: chosen,
      endpoint,
      path,
      headers,
      appCounters: app.counters.total,
      start,
      affinity: app.pins === null ? null : { carried },
    });
  }

  function apply(call: Call, decision: AccessDecision): void {
    const { client, app, start } = call;
    switch (decision.kind) {
      case 'allow':
        forward(call, decision.url);
        return;
      case 'redirect':
        track(client, app, null, start);
        client.writeHead(302, [
          'location',
          decision.location,
          'set-cookie',
          decision.setCookie,
          'cache-control',
          'no-store',
          'content-length',
          '0',
        ]);
        client.end();
        return;
      case 'deny':
        track(client, app, null, start);
        sendErrorPage(client, 'unauthorized');
        return;
      case 'unavailable':
        track(client, app, null, start);
        ctx.logger.warn({ app: app.route.slug }, 'edge could not resolve an API key');
        sendErrorPage(client, 'auth_unavailable');
        return;
    }
  }

  /** ACME HTTP-01: the key authorization for a token the edge is being validated with. */
  function answerChallenge(client: ClientExchange): void {
    const token = client.url.slice(challengePrefix.length).split('?')[0] ?? '';
    const answer = ctx.challenges.current.get(token);
    if (answer === undefined) {
      sendErrorPage(client, 'not_found');
      return;
    }
    client.writeHead(200, ['content-type', 'text/plain', 'content-length', String(Buffer.byteLength(answer)), 'cache-control', 'no-store']);
    client.end(Buffer.from(answer));
  }

  function redirectToHttps(client: ClientExchange, hostname: string, app: CompiledApp, start: number): void {
    track(client, app, null, start);
    const port = ctx.https.port === 443 ? '' : `:${ctx.https.port}`;
    client.writeHead(308, ['location', `https://${hostname}${port}${client.url}`, 'content-length', '0']);
    client.end();
  }

  function fail(client: ClientExchange, error: unknown): void {
    ctx.logger.error({ err: error, host: client.headers.host }, 'edge request handling failed');
    sendErrorPage(client, 'bad_gateway');
  }

  return function onRequest(client) {
    const start = performance.now();
    try {
      if (!client.secure && client.url.startsWith(challengePrefix)) {
        answerChallenge(client);
        return;
      }
      const match = matchHost(ctx.routes.current, ctx.baseSuffix, client.headers.host);
      if (match === null) {
        ctx.stats.unmatched++;
        sendErrorPage(client, 'not_found');
        return;
      }
      // One number written per request, read by the idle sweep of preview sessions (no I/O here).
      match.app.counters.lastSeenMs = start;
      const certificates = ctx.https.certificates;
      if (!client.secure && certificates !== null && certificates.covers(match.hostname)) {
        redirectToHttps(client, match.hostname, match.app, start);
        return;
      }
      const call: Call = { client, app: match.app, tag: match.tag, start };
      if (!match.app.isPrivate) {
        forward(call, client.url);
        return;
      }
      const decision = checkAccess(match.app, client, client.secure ? secureAccess : access);
      if (!(decision instanceof Promise)) {
        apply(call, decision);
        return;
      }
      void decision.then((settled) => {
        try {
          apply(call, settled);
        } catch (error) {
          fail(client, error);
        }
      });
    } catch (error) {
      fail(client, error);
    }
  };
}
