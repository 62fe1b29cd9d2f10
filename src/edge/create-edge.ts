// Berth's builtin edge router, as the rest of Berth sees it: route tables in, counters and
// in-flight counts out, listeners for HTTP and HTTPS. Traffic is served by a data plane in
// this process (workers: 0) or by N worker processes sharing the listening sockets; the
// certificate manager (TLS) runs here either way. This module only wires and owns the lifecycle.
import type {
  EdgeStatsSnapshot,
  Endpoint,
  EdgeStatsSource,
  RouteTable,
  RouteTableSink,
} from '../core/ports/route-table.js';
import { createDataPlane, type DataPlaneOptions } from './data-plane.js';
import type { TlsMaterial } from './tls/certificate-book.js';
import { createCertificateManager, type CertificateManagerOptions } from './tls/certificate-manager.js';
import type { WorkerSettings } from './workers/worker-messages.js';
import { WorkerPool, type WorkerLauncher } from './workers/worker-pool.js';

export type { EdgeLogger } from './edge-context.js';
export type { WorkerLauncher, WorkerProcess } from './workers/worker-pool.js';

export interface EdgeOptions extends DataPlaneOptions {
  /** Worker processes serving traffic; 0 (default): this process serves it. */
  workers?: number;
  /** Starts one worker process; required when `workers` > 0. */
  launchWorker?: WorkerLauncher;
  /** Certificates for the TLS listener: the operator's, and ACME's for verified custom domains. */
  certificates?: Omit<CertificateManagerOptions, 'logger'>;
}

export interface Edge extends RouteTableSink, EdgeStatsSource {
  /** Starts the plain HTTP listener; resolves with the bound port (useful with port 0). */
  listen(port: number, host: string): Promise<number>;
  /** Starts the TLS listener (SNI; HTTP/1.1 and HTTP/2); `publicPort` is the one redirects name. */
  listenTls(port: number, host: string, publicPort?: number): Promise<number>;
  /** Swaps the table in; resolves once every process serving traffic has it (at once in-process). */
  setRoutes(table: RouteTable): Promise<void>;
  /** Counters since the edge started, added up over every process serving it. */
  stats(): Promise<EdgeStatsSnapshot>;
  /** Milliseconds since each route's appId last saw a request (0 while a WebSocket is open), over every process serving it. */
  idleTimes(): Promise<ReadonlyMap<string, number>>;
  /** Requests sent to this instance and not yet answered (the reconciler drains on it). */
  inFlight(endpoint: Endpoint): number;
  /**
   * The first step of a shutdown: the listening sockets close (in every worker process too), so
   * new connections are refused, and idle keep-alive connections close; HTTP/2 clients get a
   * GOAWAY. Requests in flight go on, and the drain time starts. Calling it again does nothing.
   */
  stopAccepting(): Promise<void>;
  /**
   * Resolves true once no request is in flight to any instance, in every process serving traffic
   * (WebSockets do not count, as in a rollout's drain); false at `deadlineAt` (Date.now() ms) if
   * some still are. Berth's shutdown waits on it before it stops the instances.
   */
  requestsAnswered(deadlineAt: number): Promise<boolean>;
  /**
   * Stops accepting (if not yet), cuts WebSockets, lets in-flight requests finish, then cuts every
   * connection left. Resolves once nothing is open, within drainTimeoutMs of when accepting stopped
   * (plus 3 s for worker processes, which are killed if they do not exit).
   */
  close(): Promise<void>;
}

/** What serves traffic: one in-process data plane, or the worker pool. */
interface Plane {
  listen(kind: 'http' | 'tls', port: number, host: string, publicPort?: number): Promise<number>;
  setRoutes(table: RouteTable): Promise<void>;
  setTls(material: TlsMaterial): void;
  setChallenges(answers: ReadonlyMap<string, string>): Promise<void>;
  stats(): Promise<EdgeStatsSnapshot>;
  idleTimes(): Promise<Map<string, number>>;
  inFlight(origin: string): number;
  requestsInFlight(): Promise<number>;
  stopAccepting(): Promise<void>;
  close(): Promise<void>;
}

/** How often requestsAnswered() looks again, as the reconciler's drain does. */
const answeredPollMs = 50;

function localPlane(options: EdgeOptions): Plane {
  const plane = createDataPlane(options);
  return {
    listen: (kind, port, host, publicPort) =>
      kind === 'http' ? plane.listenHttp({ port, host }) : plane.listenTls({ port, host }, publicPort),
    setRoutes: async (table) => void plane.setRoutes(table),
    setTls: (material) => plane.setTls(material),
    setChallenges: async (answers) => plane.setChallenges(answers),
    stats: async () => plane.stats(),
    idleTimes: async () => plane.idleTimes(),
    inFlight: (origin) => plane.inFlight(origin),
    requestsInFlight: async () => plane.requestsInFlight(),
    stopAccepting: () => plane.stopAccepting(),
    close: () => plane.close(),
  };
}

/** Every data-plane setting a worker needs, named one by one: leaving one out does not compile. */
export function workerSettings(options: EdgeOptions): WorkerSettings {
  const settings: { [K in keyof Required<WorkerSettings>]: WorkerSettings[K] } = {
    baseDomain: options.baseDomain,
    upstreamTimeoutMs: options.upstreamTimeoutMs,
    keyCacheTtlMs: options.keyCacheTtlMs,
    proto: options.proto,
    trustForwardedHeaders: options.trustForwardedHeaders,
    drainTimeoutMs: options.drainTimeoutMs,
    tlsHandshakeTimeoutMs: options.tlsHandshakeTimeoutMs,
    tunnelIdleTimeoutMs: options.tunnelIdleTimeoutMs,
    tunnelHalfOpenMs: options.tunnelHalfOpenMs,
    h2IdleTimeoutMs: options.h2IdleTimeoutMs,
  };
  return settings;
}

function workerPlane(options: EdgeOptions, launch: WorkerLauncher): Plane {
  const pool = new WorkerPool({
    count: options.workers ?? 1,
    launch,
    settings: workerSettings(options),
    resolveKey: options.resolveKey,
    logger: options.logger,
    drainTimeoutMs: options.drainTimeoutMs ?? 10_000,
  });
  return {
    listen: async (kind, port, host, publicPort) => {
      const bound = await pool.listen(kind, port, host, publicPort);
      return bound;
    },
    setRoutes: (table) => pool.setRoutes(table),
    setTls: (material) => pool.setTls(material),
    setChallenges: (answers) => pool.setChallenges(answers),
    stats: () => pool.stats(),
    idleTimes: () => pool.idleTimes(),
    inFlight: (origin) => pool.inFlight(origin),
    requestsInFlight: () => pool.requestsInFlight(),
    stopAccepting: () => pool.stopAccepting(),
    close: () => pool.close(),
  };
}

export function createEdge(options: EdgeOptions): Edge {
  const workers = options.workers ?? 0;
  if (workers > 0 && options.launchWorker === undefined) throw new Error('createEdge: workers need launchWorker');
  const plane = workers > 0 && options.launchWorker !== undefined ? workerPlane(options, options.launchWorker) : localPlane(options);
  const certificates =
    options.certificates === undefined ? null : createCertificateManager({ ...options.certificates, logger: options.logger });
  let tlsStarted = false;

  return {
    listen: (port, host) => plane.listen('http', port, host),

    async listenTls(port, host, publicPort) {
      const bound = await plane.listen('tls', port, host, publicPort);
      if (certificates !== null && !tlsStarted) {
        tlsStarted = true;
        certificates.start(plane);
      }
      return bound;
    },

    setRoutes(table) {
      const applied = plane.setRoutes(table);
      certificates?.setDomains(table.domains.keys());
      return applied;
    },

    inFlight(endpoint) {
      const host = endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host;
      return plane.inFlight(`http://${host}:${endpoint.port}`);
    },

    stats: () => plane.stats(),

    idleTimes: () => plane.idleTimes(),

    stopAccepting: () => plane.stopAccepting(),

    requestsAnswered: (deadlineAt) => requestsAnswered(plane, deadlineAt),

    async close() {
      await certificates?.stop();
      await plane.close();
    },
  };
}

async function requestsAnswered(plane: Plane, deadlineAt: number): Promise<boolean> {
  for (;;) {
    const left = deadlineAt - Date.now();
    if (left <= 0) return false;
    // A worker slow to answer must not carry the wait past the deadline.
    let timer: NodeJS.Timeout | undefined;
    const count = await Promise.race([plane.requestsInFlight(), new Promise<number>((resolve) => (timer = setTimeout(() => resolve(1), left)))]);
    clearTimeout(timer);
    if (count === 0) return true;
    await new Promise((resolve) => setTimeout(resolve, Math.min(answeredPollMs, Math.max(0, deadlineAt - Date.now()))));
  }
}
