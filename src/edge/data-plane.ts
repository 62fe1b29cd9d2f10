// Everything that serves the edge's traffic in one process: the plain HTTP listener, the TLS
// listener (SNI; HTTP/1.1 and HTTP/2 by ALPN), the route table, counters, in-flight requests,
// ACME challenge answers and the certificates. Berth runs one in its own process, or one in
// each edge worker (edge/workers/) on listening sockets the workers share.
import { Agent } from 'node:http';
import http2 from 'node:http2';
import net, { type AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { performance } from 'node:perf_hooks';
import tls from 'node:tls';
import type { EdgeStatsSnapshot, KeyWorkspaceResolver, RouteTable } from '../core/ports/route-table.js';
import { compileTable, emptyTable, type CompiledTarget, type UpstreamEndpoint } from './compiled-table.js';
import type { EdgeContext, EdgeLogger } from './edge-context.js';
import { EdgeStats } from './edge-stats.js';
import { H1Server } from './front/h1-server.js';
import { H2Exchange } from './front/h2-exchange.js';
import { createRequestHandler } from './handle-request.js';
import { createUpgradeHandler } from './handle-upgrade.js';
import { InFlight } from './in-flight.js';
import { createKeyCache } from './key-cache.js';
import { CertificateBook, type TlsMaterial } from './tls/certificate-book.js';
import { defaultTunnelPolicy } from './tunnel.js';
import { UpstreamPool } from './upstream-pool.js';

export interface DataPlaneOptions {
  /** Apps answer at `{slug}.{baseDomain}` and `{tag}---{slug}.{baseDomain}`. */
  baseDomain: string;
  /** Resolves `dor_sk_…` keys for private apps; positive answers are cached for `keyCacheTtlMs`. */
  resolveKey: KeyWorkspaceResolver;
  logger: EdgeLogger;
  /** Inactivity limit on an app connection (no response, or a stalled body): answers 504. Default 60 s. */
  upstreamTimeoutMs?: number;
  /** Default 5 s; at most 10 s, since a revoked key keeps working this long. */
  keyCacheTtlMs?: number;
  /** How clients reach the plain listener; `https` (a TLS proxy in front) marks the share cookie Secure. Default `http`. */
  proto?: 'http' | 'https';
  /** Keep X-Forwarded-Proto/Host from a trusted proxy in front of the edge. Default false. */
  trustForwardedHeaders?: boolean;
  /**
   * close() lets in-flight requests finish this long, then cuts every connection left; it
   * resolves as soon as they are done, and within this bound either way. Default 10 s.
   */
  drainTimeoutMs?: number;
  /** A TLS client that has not finished its handshake this long after connecting is hung up on. Default 10 s (Node's own: 2 minutes). */
  tlsHandshakeTimeoutMs?: number;
  /** A WebSocket tunnel with no byte either way for this long is closed. Default 60 s. */
  tunnelIdleTimeoutMs?: number;
  /** After one side of a tunnel ends its stream, the other has this long to end too. Default 5 s. */
  tunnelHalfOpenMs?: number;
  /** An HTTP/2 connection with no frame either way for this long is closed. Default 2 minutes. */
  h2IdleTimeoutMs?: number;
  /** Clock for share expiry and the key cache (tests pass their own). Default Date.now. */
  now?: () => number;
}

/** A port and address to bind, or a listening socket handle received from the edge supervisor. */
export type ListenTarget = { port: number; host: string } | { handle: object };

export interface DataPlane {
  listenHttp(target: ListenTarget): Promise<number>;
  /** `publicPort`: the port redirects name (default: the one bound). */
  listenTls(target: ListenTarget, publicPort?: number): Promise<number>;
  /** Swaps the table in; returns the busy origins it no longer routes to (watched from now on). */
  setRoutes(table: RouteTable): Map<string, number>;
  setTls(material: TlsMaterial): void;
  setChallenges(answers: ReadonlyMap<string, string>): void;
  stats(): EdgeStatsSnapshot;
  /** Milliseconds since each app (route appId) last saw a request; 0 while a WebSocket of it is open. */
  idleTimes(): Map<string, number>;
  inFlight(origin: string): number;
  /** Requests in flight to any instance (Berth's shutdown stops the instances once there are none). */
  requestsInFlight(): number;
  /** Reports each change of the in-flight count of an origin that left the table. */
  onDrainProgress(listener: (origin: string, count: number) => void): void;
  /**
   * Closes the listening sockets and the idle keep-alive connections; HTTP/2 clients are told to go
   * (GOAWAY). Requests in flight go on; the drain time starts now. Resolves once the sockets are
   * closed; calling it again waits for the same.
   */
  stopAccepting(): Promise<void>;
  /**
   * Stops accepting (if not yet), cuts WebSockets, lets in-flight requests finish until
   * drainTimeoutMs after accepting stopped, then cuts the rest.
   */
  close(): Promise<void>;
}

const maxKeyCacheTtlMs = 10_000;
export const defaultTlsHandshakeTimeoutMs = 10_000;
export const defaultH2IdleTimeoutMs = 120_000;
const errorLogIntervalMs = 5_000;

function listenOn(server: net.Server, target: ListenTarget): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    const done = (): void => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    };
    if ('handle' in target) server.listen(target.handle, done);
    else server.listen(target.port, target.host, done);
  });
}

export function createDataPlane(options: DataPlaneOptions): DataPlane {
  const now = options.now ?? Date.now;
  const upstreamTimeoutMs = options.upstreamTimeoutMs ?? 60_000;
  const stats = new EdgeStats();
  const logger = options.logger;
  const lastLogged = new Map<string, number>();
  let lastProblems = '';

  const upstream = new UpstreamPool({ timeoutMs: upstreamTimeoutMs, connectTimeoutMs: Math.min(upstreamTimeoutMs, 10_000) });
  const upgradeAgent = new Agent({ keepAlive: false });
  const inFlight = new InFlight();
  const forward = { proto: options.proto ?? 'http', trustForwarded: options.trustForwardedHeaders ?? false };
  const certificates = new CertificateBook();

  const ctx: EdgeContext = {
    routes: { current: emptyTable },
    baseSuffix: `.${options.baseDomain.toLowerCase().replace(/^\.+|\.+$/g, '')}`,
    stats,
    keys: createKeyCache({
      resolve: options.resolveKey,
      ttlMs: Math.min(options.keyCacheTtlMs ?? 5_000, maxKeyCacheTtlMs),
      maxEntries: 10_000,
      now,
    }),
    now,
    secure: forward.proto === 'https',
    httpForward: { ...forward, upgrade: false },
    upgradeForward: { ...forward, upgrade: true },
    proxy: {
      upstream,
      inFlight,
      onUpstreamError(target: CompiledTarget, endpoint: UpstreamEndpoint, error: Error) {
        // One line per revision and error code every few seconds: a dead instance under load must not flood the log.
        const code = (error as NodeJS.ErrnoException).code ?? error.name;
        const key = `${target.revisionName} ${code}`;
        const at = now();
        if ((lastLogged.get(key) ?? -Infinity) + errorLogIntervalMs > at) return;
        lastLogged.set(key, at);
        logger.warn(
          { revision: target.revisionName, endpoint: `${endpoint.host}:${endpoint.port}`, code },
          'edge could not reach app instance',
        );
      },
    },
    upgradeAgent,
    upstreamTimeoutMs,
    tunnel: {
      idleTimeoutMs: options.tunnelIdleTimeoutMs ?? defaultTunnelPolicy.idleTimeoutMs,
      halfOpenMs: options.tunnelHalfOpenMs ?? defaultTunnelPolicy.halfOpenMs,
    },
    upgrades: new Set<Duplex>(),
    tunnels: new Set<Duplex>(),
    logger,
    https: { certificates: null, port: 443 },
    challenges: { current: new Map() },
  };

  const onRequest = createRequestHandler(ctx);
  const onUpgrade = createUpgradeHandler(ctx);
  const handlers = { request: onRequest, upgrade: onUpgrade };
  const plain = new H1Server({ handlers, secure: false });
  const secure = new H1Server({ handlers, secure: true });
  const servers: net.Server[] = [];
  const tlsServers: tls.Server[] = [];
  let fallback: TlsMaterial['fallback'] = null;
  /** Open HTTP/2 sessions and their client's address (read once: session.socket is a proxy object). */
  const h2Sessions = new Map<http2.Http2Session, string>();
  /** Every accepted TCP connection, whoever owns it now (a TLS handshake in progress belongs to no one yet). */
  const sockets = new Set<net.Socket>();
  let closing = false;
  /** When the drain that stopAccepting() began is over (Date.now() ms). */
  let drainEndsAt = 0;
  let serversClosed: Promise<unknown> = Promise.resolve();
  let stopped: Promise<void> | null = null;
  /** Set by close(): called whenever a client connection goes. */
  let onConnectionGone: (() => void) | null = null;
  const connectionGone = (): void => onConnectionGone?.();
  plain.onDrained = connectionGone;
  secure.onDrained = connectionGone;

  function track(server: net.Server): net.Server {
    server.on('connection', (socket: net.Socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });
    servers.push(server);
    return server;
  }

  // Streams per connection capped as nghttp2 advises; a silent connection is closed after the idle timeout.
  const h2 = http2.createServer({ settings: { maxConcurrentStreams: 256 } });
  h2.setTimeout(options.h2IdleTimeoutMs ?? defaultH2IdleTimeoutMs);
  h2.on('session', (session) => {
    const remote = session.socket?.remoteAddress ?? '';
    h2Sessions.set(session, remote.startsWith('::ffff:') ? remote.slice(7) : remote);
    session.once('close', () => {
      h2Sessions.delete(session);
      connectionGone();
    });
  });
  h2.on('stream', (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders, flags: number, rawHeaders: string[]) => {
    const method = String(headers[':method'] ?? 'GET');
    if (method === 'CONNECT') {
      stream.respond({ ':status': 405 });
      stream.end();
      return;
    }
    const authority = headers[':authority'];
    onRequest(
      new H2Exchange(
        stream,
        { method, path: String(headers[':path'] ?? '/'), authority: typeof authority === 'string' ? authority : undefined },
        rawHeaders,
        (stream.session === undefined ? undefined : h2Sessions.get(stream.session)) ?? '',
        (flags & http2.constants.NGHTTP2_FLAG_END_STREAM) !== 0,
      ),
    );
  });

  function stopAccepting(): Promise<void> {
    stopped ??= new Promise((resolve) => {
      drainEndsAt = Date.now() + (options.drainTimeoutMs ?? 10_000);
      // After this turn's poll: connections the kernel reported in it are accepted (and served)
      // first, instead of being reset as the listening socket closes under them.
      setImmediate(() => {
        closing = true;
        // The listening sockets close at once; the callbacks wait for the connections.
        serversClosed = Promise.all(servers.map((server) => new Promise<void>((done) => server.close(() => done()))));
        plain.drain();
        secure.drain();
        for (const session of h2Sessions.keys()) session.close();
        resolve();
      });
    });
    return stopped;
  }

  return {
    listenHttp(target) {
      const server = track(net.createServer({ allowHalfOpen: true, noDelay: true }, (socket) => plain.accept(socket)));
      return listenOn(server, target);
    },

    async listenTls(target, publicPort) {
      const server = tls.createServer(
        {
          SNICallback: certificates.sni,
          ALPNProtocols: ['h2', 'http/1.1'],
          minVersion: 'TLSv1.2',
          // A client stalled mid-handshake holds a socket (and a file descriptor) until this.
          handshakeTimeout: options.tlsHandshakeTimeoutMs ?? defaultTlsHandshakeTimeoutMs,
          allowHalfOpen: true,
          noDelay: true,
        } as tls.TlsOptions,
        (socket) => {
          if (closing) socket.destroy();
          else if (socket.alpnProtocol === 'h2') {
            // HTTP/2 has no use for a half-open connection (allowHalfOpen is HTTP/1's): without
            // this the session of a client that hung up lives on until its idle timeout.
            socket.once('end', () => socket.end());
            h2.emit('connection', socket);
          } else secure.accept(socket);
        },
      );
      // Handshakes that fail (no certificate for the name, a scanner, one timed out) need no log line each.
      server.on('tlsClientError', (_error, socket) => socket.destroy());
      if (fallback !== null) server.setSecureContext({ cert: fallback.certPem, key: fallback.keyPem, minVersion: 'TLSv1.2' });
      track(server);
      tlsServers.push(server);
      const port = await listenOn(server, target);
      ctx.https = { certificates: ctx.https.certificates, port: publicPort ?? port };
      return port;
    },

    setRoutes(table) {
      const { table: compiled, problems } = compileTable(table, ctx.routes.current, stats);
      ctx.routes.current = compiled;
      const summary = problems.join('; ');
      if (summary !== lastProblems && problems.length > 0)
        logger.warn({ version: table.version, problems }, 'edge route table has invalid splits');
      lastProblems = summary;
      return inFlight.watchUnrouted(compiled.origins);
    },

    setTls(material) {
      certificates.replace(material);
      if (material.fallback !== null && material.fallback.certPem !== fallback?.certPem) {
        for (const server of tlsServers) server.setSecureContext({ cert: material.fallback.certPem, key: material.fallback.keyPem, minVersion: 'TLSv1.2' });
      }
      fallback = material.fallback;
      ctx.https = { certificates: material.certificates.length > 0 ? certificates : null, port: ctx.https.port };
    },

    setChallenges(answers) {
      ctx.challenges = { current: answers };
    },

    inFlight(origin) {
      return inFlight.count(origin);
    },

    requestsInFlight() {
      return inFlight.total();
    },

    onDrainProgress(listener) {
      inFlight.onWatchedChange = listener;
    },

    idleTimes() {
      return stats.idleTimes(performance.now());
    },

    stats() {
      return stats.snapshot(ctx.routes.current.version, ctx.tunnels.size, new Date(now()));
    },

    stopAccepting,

    async close() {
      await stopAccepting();
      // A WebSocket has no end of its own to wait for; a request that has not started now never will.
      for (const socket of ctx.upgrades) socket.destroy();
      plain.closeIdle();
      secure.closeIdle();
      // Waits for requests in flight, not for sockets: a TLS handshake a client abandoned
      // half-open would otherwise hold the drain for the handshake timeout.
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        onConnectionGone = () => {
          if (plain.size === 0 && secure.size === 0 && h2Sessions.size === 0) resolve();
        };
        onConnectionGone();
        timer = setTimeout(resolve, Math.max(0, drainEndsAt - Date.now()));
      });
      clearTimeout(timer);
      onConnectionGone = null;
      for (const socket of sockets) socket.destroy();
      plain.destroyAll();
      secure.destroyAll();
      for (const session of h2Sessions.keys()) session.destroy();
      upgradeAgent.destroy();
      upstream.destroy();
      await serversClosed;
    },
  };
}
