// The edge's HTTP request path: host → app, access check for private apps, revision choice,
// then proxy; every request is counted for its app (and revision, once one is chosen).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { checkAccess, type AccessContext, type AccessDecision } from './access.js';
import { chooseTarget } from './choose-target.js';
import { nextEndpoint, type CompiledApp, type CompiledTarget } from './compiled-table.js';
import type { EdgeContext } from './edge-context.js';
import { sendErrorPage } from './error-pages.js';
import { upstreamRequestHeaders } from './forward-headers.js';
import { matchHost } from './host-route.js';
import { clientClosedStatus, proxyRequest } from './proxy-request.js';

/** Counts a response the edge answers itself (proxied ones count themselves). */
function track(res: ServerResponse, app: CompiledApp, target: CompiledTarget | null, start: number): void {
  res.on('close', () => {
    const status = res.headersSent ? res.statusCode : clientClosedStatus;
    const ms = performance.now() - start;
    app.counters.total.record(status, ms);
    if (target !== null) target.counters.record(status, ms);
  });
}

/** One request once its app is known. */
interface Call {
  req: IncomingMessage;
  res: ServerResponse;
  app: CompiledApp;
  tag: string | null;
  start: number;
}

export function createRequestHandler(ctx: EdgeContext): (req: IncomingMessage, res: ServerResponse) => void {
  const access: AccessContext = { keys: ctx.keys, now: ctx.now, secure: ctx.secure, canRedirect: true };

  function forward(call: Call, path: string): void {
    const { req, res, app, start } = call;
    const chosen = chooseTarget(app, call.tag);
    if (chosen === 'unknown_tag') {
      track(res, app, null, start);
      sendErrorPage(req, res, 'not_found');
      return;
    }
    const endpoint = typeof chosen === 'string' ? null : nextEndpoint(chosen);
    if (endpoint === null || typeof chosen === 'string') {
      app.counters.unserved++;
      sendErrorPage(req, res, 'no_instance');
      return;
    }
    const headers = upstreamRequestHeaders(req, ctx.httpForward);
    proxyRequest(ctx.proxy, {
      req,
      res,
      target: chosen,
      endpoint,
      path,
      headers,
      appCounters: app.counters.total,
      start,
    });
  }

  function apply(call: Call, decision: AccessDecision): void {
    const { req, res, app, start } = call;
    switch (decision.kind) {
      case 'allow':
        forward(call, decision.url);
        return;
      case 'redirect':
        track(res, app, null, start);
        res.writeHead(302, {
          location: decision.location,
          'set-cookie': decision.setCookie,
          'cache-control': 'no-store',
          'content-length': 0,
        });
        res.end();
        return;
      case 'deny':
        track(res, app, null, start);
        sendErrorPage(req, res, 'unauthorized');
        return;
      case 'unavailable':
        track(res, app, null, start);
        ctx.logger.warn({ app: app.route.slug }, 'edge could not resolve an API key');
        sendErrorPage(req, res, 'auth_unavailable');
        return;
    }
  }

  function fail(req: IncomingMessage, res: ServerResponse, error: unknown): void {
    ctx.logger.error({ err: error, host: req.headers.host }, 'edge request handling failed');
    sendErrorPage(req, res, 'bad_gateway');
  }

  return function onRequest(req, res) {
    const start = performance.now();
    try {
      const match = matchHost(ctx.routes.current, ctx.baseSuffix, req.headers.host);
      if (match === null) {
        ctx.stats.unmatched++;
        sendErrorPage(req, res, 'not_found');
        return;
      }
      const call: Call = { req, res, app: match.app, tag: match.tag, start };
      if (!match.app.isPrivate) {
        forward(call, req.url ?? '/');
        return;
      }
      const decision = checkAccess(match.app, req, access);
      if (!(decision instanceof Promise)) {
        apply(call, decision);
        return;
      }
      void decision.then((settled) => {
        try {
          apply(call, settled);
        } catch (error) {
          fail(req, res, error);
        }
      });
    } catch (error) {
      fail(req, res, error);
    }
  };
}
