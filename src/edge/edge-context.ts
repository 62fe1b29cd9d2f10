// What the request and upgrade handlers share: the current route table (swapped by one
// assignment), counters, key cache, agents and settings. Built once by createEdge.
import type { Agent } from 'node:http';
import type { Duplex } from 'node:stream';
import type { CompiledTable } from './compiled-table.js';
import type { EdgeStats } from './edge-stats.js';
import type { ForwardOptions } from './forward-headers.js';
import type { KeyCache } from './key-cache.js';
import type { ProxyDeps } from './proxy-request.js';
import type { CertificateBook } from './tls/certificate-book.js';
import type { TunnelPolicy } from './tunnel.js';

/** Pino-compatible: fields first, then the message. */
export interface EdgeLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export interface RouteHolder {
  /** Replaced whole on every setRoutes; handlers read it once per request. */
  current: CompiledTable;
}

export interface EdgeContext {
  routes: RouteHolder;
  /** `.` + base domain, lower-case. */
  baseSuffix: string;
  stats: EdgeStats;
  keys: KeyCache;
  now: () => number;
  secure: boolean;
  httpForward: ForwardOptions;
  upgradeForward: ForwardOptions;
  proxy: ProxyDeps;
  upgradeAgent: Agent;
  upstreamTimeoutMs: number;
  tunnel: TunnelPolicy;
  /** Client sockets the upgrade path owns, from the handshake on: close() cuts them. */
  upgrades: Set<Duplex>;
  /** Of those, the ones tunnelled to an app (the open-tunnel count). */
  tunnels: Set<Duplex>;
  logger: EdgeLogger;
  /** Served over TLS: plain requests for hosts it covers are redirected (none when the edge serves no TLS). */
  https: HttpsRedirects;
  /** ACME HTTP-01 answers by token, replaced whole on change. */
  challenges: { current: ReadonlyMap<string, string> };
}

export interface HttpsRedirects {
  certificates: CertificateBook | null;
  /** Port in redirect locations; 443 is left out. */
  port: number;
}
