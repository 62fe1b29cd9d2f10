// The edge's Upgrade path (WebSockets): the same host, access and revision rules as plain
// requests, answered on the raw socket, then handed to the tunnel.
import type { Duplex } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { checkAccess, type AccessContext, type AccessDecision } from './access.js';
import { chooseTarget } from './choose-target.js';
import { nextEndpoint, type CompiledApp } from './compiled-table.js';
import type { EdgeContext } from './edge-context.js';
import { rawErrorResponse, statusOf, unservedKind, type EdgeErrorKind } from './error-pages.js';
import { upstreamRequestHeaders } from './forward-headers.js';
import type { ClientExchange } from './front/client-exchange.js';
import { matchHost } from './host-route.js';
import { proxyUpgrade } from './proxy-upgrade.js';
import { carriedToken, pinnedEndpoint } from './session-affinity.js';

/** What the upgrade path reads of the request. */
export type UpgradeRequest = Pick<ClientExchange, 'method' | 'url' | 'rawHeaders' | 'headers' | 'remoteAddress' | 'secure'>;

/** One upgrade request once its app is known. */
interface Call {
  req: UpgradeRequest;
  socket: Duplex;
  head: Buffer;
  app: CompiledApp;
  tag: string | null;
  start: number;
}

/** An open tunnel keeps its app busy (a hot-reload socket of a page someone has open) until it closes. */
function holdOpen(app: CompiledApp, socket: Duplex): void {
  const counters = app.counters;
  counters.openTunnels++;
  socket.once('close', () => {
    counters.openTunnels--;
    counters.lastSeenMs = performance.now();
  });
}

export function createUpgradeHandler(ctx: EdgeContext): (req: UpgradeRequest, socket: Duplex, head: Buffer) => void {
  const access: AccessContext = { keys: ctx.keys, now: ctx.now, secure: ctx.secure, canRedirect: false };

  function refuse(req: UpgradeRequest, socket: Duplex, kind: EdgeErrorKind): void {
    if (socket.writable) socket.end(rawErrorResponse(req, kind));
  }

  /** Refuses an upgrade for a known app, counting it for the app. */
  function refuseCall(call: Call, kind: EdgeErrorKind): void {
    call.app.counters.total.record(statusOf(kind), performance.now() - call.start);
    refuse(call.req, call.socket, kind);
  }

  function tunnel(call: Call, path: string): void {
    const { req, socket, head, app, start } = call;
    if (app.route.noHttp !== undefined) {
      app.counters.unserved++;
      refuse(req, socket, unservedKind(app.route));
      return;
    }
    // The cookie an app with session affinity set on an earlier answer (socket.io's polling handshake).
    const pinned = app.pins === null ? null : pinnedEndpoint(app, carriedToken(req.headers.cookie), call.tag);
    const chosen = pinned?.target ?? chooseTarget(app, call.tag);
    if (chosen === 'unknown_tag') {
      refuseCall(call, 'not_found');
      return;
    }
    const endpoint = typeof chosen === 'string' ? null : (pinned?.endpoint ?? nextEndpoint(chosen));
    if (endpoint === null || typeof chosen === 'string') {
      app.counters.unserved++;
      refuse(req, socket, unservedKind(app.route));
      return;
    }
    const done = (status: number, error: Error | null): void => {
      const ms = performance.now() - start;
      app.counters.total.record(status, ms);
      chosen.counters.record(status, ms);
      if (status === 101) holdOpen(app, socket);
      if (error !== null)
        ctx.logger.warn(
          { app: app.route.slug, revision: chosen.revisionName, err: error.message },
          'edge upgrade to app failed',
        );
    };
    const headers = upstreamRequestHeaders(req, ctx.upgradeForward);
    proxyUpgrade(
      { agent: ctx.upgradeAgent, handshakeTimeoutMs: ctx.upstreamTimeoutMs, tunnel: ctx.tunnel, tunnels: ctx.tunnels, done },
      { req, socket, head, endpoint, path, headers },
    );
  }

  function apply(call: Call, decision: AccessDecision): void {
    switch (decision.kind) {
      case 'allow':
        tunnel(call, decision.url);
        return;
      case 'redirect':
      case 'deny':
        refuseCall(call, 'unauthorized');
        return;
      case 'unavailable':
        refuseCall(call, 'auth_unavailable');
        return;
    }
  }

  return function onUpgrade(req, socket, head) {
    const start = performance.now();
    socket.on('error', () => socket.destroy());
    ctx.upgrades.add(socket);
    socket.once('close', () => ctx.upgrades.delete(socket));
    try {
      if (req.method === 'CONNECT') {
        refuse(req, socket, 'bad_request');
        return;
      }
      const match = matchHost(ctx.routes.current, ctx.baseSuffix, req.headers.host);
      if (match === null) {
        ctx.stats.unmatched++;
        refuse(req, socket, 'not_found');
        return;
      }
      match.app.counters.lastSeenMs = start;
      const call: Call = { req, socket, head, app: match.app, tag: match.tag, start };
      if (!match.app.isPrivate) {
        tunnel(call, req.url);
        return;
      }
      const decision = checkAccess(match.app, req, access);
      if (!(decision instanceof Promise)) {
        apply(call, decision);
        return;
      }
      void decision
        .then((settled) => apply(call, settled))
        .catch((error: unknown) => {
          ctx.logger.error({ err: error }, 'edge upgrade handling failed');
          socket.destroy();
        });
    } catch (error) {
      ctx.logger.error({ err: error }, 'edge upgrade handling failed');
      socket.destroy();
    }
  };
}
