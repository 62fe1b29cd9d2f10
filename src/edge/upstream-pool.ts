// Keep-alive HTTP/1.1 connections from the edge to app instances, one request at a time each.
// Responses are parsed in JavaScript from each connection's reused read buffer
// (upstream-connection.ts, response-parser.ts), and requests written straight to the socket's
// handle (front/handle-writer.ts): measured on bench/edge, undici or node:http's client cost the
// edge 2-3x the CPU per request of this.
import { performance } from 'node:perf_hooks';
import {
  failure,
  UpstreamConnection,
  type ConnectionOwner,
  type UpstreamCall,
  type UpstreamHandler,
  type UpstreamRequest,
  type UpstreamTarget,
} from './upstream-connection.js';

export type {
  BodySource,
  UpstreamCall,
  UpstreamHandler,
  UpstreamRequest,
  UpstreamTarget,
} from './upstream-connection.js';

export interface UpstreamPoolOptions {
  /** No response head, or a body stalled, this long: the exchange fails with EDGE_*_TIMEOUT. */
  timeoutMs: number;
  connectTimeoutMs: number;
  /** Idle connections kept per instance. */
  maxIdlePerOrigin?: number;
}

export class UpstreamPool implements ConnectionOwner {
  readonly timeoutMs: number;
  private readonly connectTimeoutMs: number;
  private readonly maxIdle: number;
  private readonly idle = new Map<string, UpstreamConnection[]>();
  /** Every open connection, busy or idle (added when made, removed when closed: no set operation per request). */
  private readonly open = new Set<UpstreamConnection>();
  private readonly sweeper: NodeJS.Timeout;
  private destroyed = false;

  constructor(options: UpstreamPoolOptions) {
    this.timeoutMs = options.timeoutMs;
    this.connectTimeoutMs = options.connectTimeoutMs;
    this.maxIdle = options.maxIdlePerOrigin ?? 256;
    // One timer for every exchange: cheaper than a timer per request, precise to a quarter of the limit.
    this.sweeper = setInterval(() => this.sweep(), Math.max(10, Math.min(1_000, Math.floor(this.timeoutMs / 4))));
    this.sweeper.unref();
  }

  request(target: UpstreamTarget, request: UpstreamRequest, handler: UpstreamHandler): UpstreamCall {
    const connection = this.take(target);
    connection.send(request, handler, connection.connected ? this.timeoutMs : this.connectTimeoutMs);
    // A retry of an exchange the edge's close() broke: fail it (no retry for this code), after the caller has its call.
    if (this.destroyed) setImmediate(() => connection.fail(failure('EDGE_CLOSED', 'the edge is closing')));
    return connection;
  }

  private take(target: UpstreamTarget): UpstreamConnection {
    const list = this.idle.get(target.origin);
    const now = performance.now();
    while (list !== undefined && list.length > 0) {
      const connection = list.pop() as UpstreamConnection;
      if (!connection.socket.destroyed && now - connection.idleSince < connection.idleForMs) return connection;
      connection.socket.destroy();
    }
    const connection = new UpstreamConnection(this, target);
    this.open.add(connection);
    return connection;
  }

  release(connection: UpstreamConnection): void {
    const origin = connection.target.origin;
    let list = this.idle.get(origin);
    if (list === undefined) this.idle.set(origin, (list = []));
    if (list.length >= this.maxIdle) {
      connection.socket.destroy();
      return;
    }
    connection.idleSince = performance.now();
    list.push(connection);
  }

  forget(connection: UpstreamConnection): void {
    this.open.delete(connection);
    const list = this.idle.get(connection.target.origin);
    const at = list?.indexOf(connection) ?? -1;
    if (list !== undefined && at >= 0) list.splice(at, 1);
  }

  private sweep(): void {
    const now = performance.now();
    for (const connection of this.open) {
      if (connection.deadline === 0 || now < connection.deadline) continue;
      const code = !connection.connected
        ? 'EDGE_CONNECT_TIMEOUT'
        : connection.responded
          ? 'EDGE_BODY_TIMEOUT'
          : 'EDGE_HEADERS_TIMEOUT';
      connection.fail(failure(code, 'the app did not answer in time'));
    }
  }

  /** Closes every connection, busy or idle; requests made from now on fail. */
  destroy(): void {
    this.destroyed = true;
    clearInterval(this.sweeper);
    for (const connection of this.open) connection.socket.destroy();
    this.open.clear();
    this.idle.clear();
  }
}
