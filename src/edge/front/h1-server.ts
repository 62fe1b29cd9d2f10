// The edge's HTTP/1.x server side: owns the client connections a listener (plain TCP, or TLS
// that negotiated http/1.1) hands it, one timer for all their deadlines, and the drain on close.
import type { Socket } from 'node:net';
import { H1Connection, type H1Handlers, type H1Host } from './h1-connection.js';

export interface H1ServerOptions {
  handlers: H1Handlers;
  secure: boolean;
  /** An idle keep-alive connection is closed after this long. Default 5 s (as node:http). */
  keepAliveTimeoutMs?: number;
  /** A request head must arrive this long after its first byte, else 408. Default 60 s. */
  headersTimeoutMs?: number;
  /** Larger request heads are answered 431. Default 16 KiB (as node:http). */
  maxHeaderBytes?: number;
}

export class H1Server implements H1Host {
  readonly handlers: H1Handlers;
  readonly secure: boolean;
  readonly keepAliveTimeoutMs: number;
  readonly keepAliveHeader: string;
  readonly headersTimeoutMs: number;
  readonly maxHeaderBytes: number;
  draining = false;
  /** Called when the last connection goes while draining. */
  onDrained: (() => void) | null = null;
  private readonly connections = new Set<H1Connection>();
  private sweeper: NodeJS.Timeout | null = null;

  constructor(options: H1ServerOptions) {
    this.handlers = options.handlers;
    this.secure = options.secure;
    this.keepAliveTimeoutMs = options.keepAliveTimeoutMs ?? 5_000;
    this.keepAliveHeader = `keep-alive: timeout=${Math.max(1, Math.floor(this.keepAliveTimeoutMs / 1000))}\r\n`;
    this.headersTimeoutMs = options.headersTimeoutMs ?? 60_000;
    this.maxHeaderBytes = options.maxHeaderBytes ?? 16 * 1024;
  }

  accept(socket: Socket): void {
    if (this.draining) {
      socket.destroy();
      return;
    }
    this.connections.add(new H1Connection(socket, this));
    if (this.sweeper === null) {
      const every = Math.max(50, Math.min(1_000, Math.floor(this.keepAliveTimeoutMs / 4)));
      this.sweeper = setInterval(() => this.sweep(), every);
      this.sweeper.unref();
    }
  }

  forget(connection: H1Connection): void {
    this.connections.delete(connection);
    if (this.draining && this.connections.size === 0) this.onDrained?.();
  }

  get size(): number {
    return this.connections.size;
  }

  /** Keep-alive connections waiting for a request close now; busy ones, and ones just accepted, after their response. */
  drain(): void {
    this.draining = true;
    for (const connection of this.connections) connection.drain();
    if (this.connections.size === 0) this.onDrained?.();
  }

  /** Every connection without a request being answered closes now, ones just accepted included; busy ones after their response. */
  closeIdle(): void {
    this.drain();
    for (const connection of this.connections) connection.closeIfIdle();
  }

  destroyAll(): void {
    this.draining = true;
    for (const connection of this.connections) connection.socket.destroy();
    this.connections.clear();
    if (this.sweeper !== null) clearInterval(this.sweeper);
    this.sweeper = null;
  }

  private sweep(): void {
    const now = Date.now();
    for (const connection of this.connections) {
      if (connection.deadline !== 0 && now >= connection.deadline) connection.expired();
    }
  }
}
