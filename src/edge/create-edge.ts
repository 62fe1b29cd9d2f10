// Berth's builtin edge router: one listener whose connections the edge's own HTTP/1 server side
// (front/) answers, routing by Host to app instances per the route table the core pushes. This
// module only wires the parts and owns the lifecycle.
import { Agent } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type {
  EdgeStatsSnapshot,
  Endpoint,
  EdgeStatsSource,
  KeyWorkspaceResolver,
  RouteTable,
  RouteTableSink,
} from '../core/ports/route-table.js';
import { compileTable, emptyTable, type CompiledTarget, type UpstreamEndpoint } from './compiled-table.js';
import type { EdgeContext, EdgeLogger } from './edge-context.js';
import { EdgeStats } from './edge-stats.js';
import { H1Server } from './front/h1-server.js';
import { createRequestHandler } from './handle-request.js';
import { createUpgradeHandler } from './handle-upgrade.js';
import { InFlight } from './in-flight.js';
import { createKeyCache } from './key-cache.js';
import { UpstreamPool } from './upstream-pool.js';

export type { EdgeLogger } from './edge-context.js';

export interface EdgeOptions {
  /** Apps answer at `{slug}.{baseDomain}` and `{tag}---{slug}.{baseDomain}`. */
  baseDomain: string;
  /** Resolves `dor_sk_…` keys for private apps; positive answers are cached for `keyCacheTtlMs`. */
  resolveKey: KeyWorkspaceResolver;
  logger: EdgeLogger;
  /** Inactivity limit on an app connection (no response, or a stalled body): answers 504. Default 60 s. */
  upstreamTimeoutMs?: number;
  /** Default 5 s; at most 10 s, since a revoked key keeps working this long. */
  keyCacheTtlMs?: number;
  /** How clients reach this listener; `https` marks the share cookie Secure. Default `http`. */
  proto?: 'http' | 'https';
  /** Keep X-Forwarded-Proto/Host from a trusted proxy in front of the edge. Default false. */
  trustForwardedHeaders?: boolean;
  /** close() lets in-flight requests finish this long before cutting them. Default 10 s. */
  drainTimeoutMs?: number;
  /** Clock for share expiry and the key cache (tests pass their own). Default Date.now. */
  now?: () => number;
}

export interface Edge extends RouteTableSink, EdgeStatsSource {
  /** Starts listening; resolves with the bound port (useful with port 0). */
  listen(port: number, host: string): Promise<number>;
  setRoutes(table: RouteTable): void;
  stats(): EdgeStatsSnapshot;
  /** Requests sent to this instance and not yet answered (the reconciler drains on it). */
  inFlight(endpoint: Endpoint): number;
  /** Stops accepting, ends tunnels, lets in-flight requests finish (up to drainTimeoutMs). */
  close(): Promise<void>;
}

const maxKeyCacheTtlMs = 10_000;
const errorLogIntervalMs = 5_000;

export function createEdge(options: EdgeOptions): Edge {
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
    tunnels: new Set<Duplex>(),
    logger,
  };

  const onUpgrade = createUpgradeHandler(ctx);
  const h1 = new H1Server({
    handlers: { request: createRequestHandler(ctx), upgrade: (exchange, socket, head) => onUpgrade(exchange, socket, head) },
    secure: false,
  });
  const server = createServer({ allowHalfOpen: true, noDelay: true }, (socket) => h1.accept(socket));

  return {
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve((server.address() as AddressInfo).port);
        });
      });
    },

    setRoutes(table) {
      const { table: compiled, problems } = compileTable(table, ctx.routes.current, stats);
      ctx.routes.current = compiled;
      const summary = problems.join('; ');
      if (summary !== lastProblems && problems.length > 0)
        logger.warn({ version: table.version, problems }, 'edge route table has invalid splits');
      lastProblems = summary;
    },

    inFlight(endpoint) {
      const host = endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host;
      return inFlight.count(`http://${host}:${endpoint.port}`);
    },

    stats() {
      return stats.snapshot(ctx.routes.current.version, ctx.tunnels.size, new Date(now()));
    },

    async close() {
      for (const socket of ctx.tunnels) socket.destroy();
      ctx.tunnels.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      h1.drain();
      let timer: NodeJS.Timeout | undefined;
      const cut = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          h1.destroyAll();
          resolve();
        }, options.drainTimeoutMs ?? 10_000);
      });
      await Promise.race([closed, cut]);
      clearTimeout(timer);
      h1.destroyAll();
      upgradeAgent.destroy();
      upstream.destroy();
    },
  };
}
