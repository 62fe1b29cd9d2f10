// Keep-alive HTTP/1.1 connections from the edge to app instances, one request at a time each.
// Responses are parsed by Node's own native llhttp binding (the parser behind node:http), used
// directly: measured on bench/edge, undici or node:http's client cost the edge 2-3x the CPU per
// request of this, which kept the edge at about half nginx's throughput.
import { createRequire } from 'node:module';
import net from 'node:net';
import type { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';

interface NativeParser {
  initialize(type: number, resource: object, maxHeaderSize: number, lenient: number): void;
  execute(data: Buffer): number | Error;
  finish(): number | Error | undefined;
  close(): void;
  [callback: number]: unknown;
  exchange: Connection | null;
}
interface NativeParserClass {
  new (): NativeParser;
  RESPONSE: number;
  kOnHeaders: number;
  kOnHeadersComplete: number;
  kOnBody: number;
  kOnMessageComplete: number;
}

const { HTTPParser } = createRequire(import.meta.url)('_http_common') as { HTTPParser: NativeParserClass };

export interface UpstreamTarget {
  host: string;
  port: number;
  /** `http://host:port`: the pool key. */
  origin: string;
}

/** What one exchange hears back; every call ends with exactly one of onEnd or onError. */
export interface UpstreamHandler {
  /** Final response head (1xx are skipped). */
  onHead(statusCode: number, rawHeaders: string[]): void;
  /** A body chunk; false asks for a pause until resume(). */
  onData(chunk: Buffer): boolean;
  onEnd(): void;
  /** `responded`: part of the response already reached onHead (the exchange cannot be retried). */
  onError(error: Error, responded: boolean): void;
}

export interface UpstreamRequest {
  method: string;
  /** Already rewritten, no hop-by-hop headers, no Transfer-Encoding. */
  head: { path: string; headers: readonly string[] };
  /** The client's request when it carries a body (streamed with backpressure), else null. */
  body: IncomingMessage | null;
}

export interface UpstreamCall {
  /** Ends the exchange early (the client went away): the connection is not reused. */
  abort(): void;
  resume(): void;
}

export interface UpstreamPoolOptions {
  /** No response head, or a body stalled, this long: the exchange fails with EDGE_*_TIMEOUT. */
  timeoutMs: number;
  connectTimeoutMs: number;
  /** Idle connections kept per instance. */
  maxIdlePerOrigin?: number;
}

/** An idle connection older than this (or than the app's Keep-Alive timeout hint, less a margin) is not reused. */
const defaultIdleMs = 4_000;
const idleMarginMs = 500;

function failure(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

class Connection {
  readonly socket: net.Socket;
  readonly parser: NativeParser;
  handler: UpstreamHandler | null = null;
  responded = false;
  informational = false;
  skipBody = false;
  keepAlive = true;
  idleForMs = defaultIdleMs;
  idleSince = 0;
  /** performance.now() after which a busy connection has timed out (0: idle). */
  deadline = 0;
  connected = false;
  body: IncomingMessage | null = null;
  chunked = false;
  private headers: string[] = [];

  constructor(
    readonly pool: UpstreamPool,
    readonly target: UpstreamTarget,
  ) {
    this.socket = net.connect({ host: target.host, port: target.port, noDelay: true });
    this.parser = new HTTPParser();
    this.parser.initialize(HTTPParser.RESPONSE, {}, 0, 0);
    this.parser.exchange = this;
    this.parser[HTTPParser.kOnHeaders] = onHeaders;
    this.parser[HTTPParser.kOnHeadersComplete] = onHeadersComplete;
    this.parser[HTTPParser.kOnBody] = onBody;
    this.parser[HTTPParser.kOnMessageComplete] = onMessageComplete;
    this.socket.on('connect', () => {
      this.connected = true;
      if (this.handler !== null) this.deadline = performance.now() + pool.timeoutMs;
    });
    this.socket.on('data', (data: Buffer) => this.receive(data));
    this.socket.on('end', () => this.ended());
    this.socket.on('error', (error: Error) => this.fail(error));
    this.socket.on('close', () => {
      this.fail(failure('ECONNRESET', 'the app closed the connection before answering'));
      // Freed once the parser's own stack has unwound (as node:http does).
      setImmediate(() => this.parser.close());
    });
    this.socket.on('drain', () => this.body?.resume());
  }

  send(request: UpstreamRequest, handler: UpstreamHandler, timeoutMs: number): void {
    this.handler = handler;
    this.responded = false;
    this.informational = false;
    this.skipBody = request.method === 'HEAD';
    this.deadline = performance.now() + timeoutMs;
    const { path, headers } = request.head;
    let head = `${request.method} ${path} HTTP/1.1\r\n`;
    for (let i = 0; i < headers.length; i += 2) head += `${headers[i]}: ${headers[i + 1]}\r\n`;
    const body = request.body;
    this.chunked = body !== null && body.headers['content-length'] === undefined;
    if (this.chunked) head += 'transfer-encoding: chunked\r\n';
    this.socket.write(`${head}\r\n`, 'latin1');
    if (body !== null) this.streamBody(body);
  }

  private streamBody(body: IncomingMessage): void {
    this.body = body;
    body.on('data', (chunk: Buffer) => {
      if (this.body !== body || chunk.length === 0) return;
      const ok = this.chunked
        ? this.socket.write(`${chunk.length.toString(16)}\r\n`, 'latin1') && this.socket.write(chunk) && this.socket.write('\r\n', 'latin1')
        : this.socket.write(chunk);
      if (!ok) body.pause();
    });
    body.on('end', () => {
      if (this.body !== body) return;
      if (this.chunked) this.socket.write('0\r\n\r\n', 'latin1');
      this.body = null;
    });
  }

  private receive(data: Buffer): void {
    if (this.handler === null) {
      // Bytes nobody asked for: the connection is out of step; never reuse it.
      this.socket.destroy();
      return;
    }
    const result = this.parser.execute(data);
    if (result instanceof Error) this.fail(failure((result as NodeJS.ErrnoException).code ?? 'HPE_INVALID', `the app sent an invalid response: ${result.message}`));
  }

  private ended(): void {
    this.keepAlive = false;
    // A response delimited by the connection's end completes here.
    if (this.handler !== null) this.parser.finish();
    this.socket.destroy();
  }

  headersDone(statusCode: number, headers: string[] | undefined, shouldKeepAlive: boolean): number {
    const all = headers ?? this.headers;
    this.headers = [];
    if (statusCode < 200) {
      this.informational = true;
      return 1; // 1xx has no body; the final answer follows on the same connection
    }
    let closeAsked = false;
    for (let i = 0; i < all.length; i += 2) {
      const name = all[i] ?? '';
      if (name.length !== 10) continue;
      const lower = name.toLowerCase();
      if (lower === 'keep-alive') {
        const seconds = Number(/timeout=(\d+)/i.exec(all[i + 1] ?? '')?.[1]);
        if (seconds > 0) this.idleForMs = Math.max(0, seconds * 1000 - idleMarginMs);
      } else if (lower === 'connection' && /\bclose\b/i.test(all[i + 1] ?? '')) {
        closeAsked = true;
      }
    }
    // llhttp judges a bodiless HEAD answer without a length as ending at close; it does not.
    this.keepAlive = this.skipBody ? !closeAsked : shouldKeepAlive;
    this.responded = true;
    this.deadline = performance.now() + this.pool.timeoutMs;
    this.handler?.onHead(statusCode, all);
    return this.skipBody ? 1 : 0;
  }

  moreHeaders(headers: string[]): void {
    for (const h of headers) this.headers.push(h);
  }

  bodyChunk(chunk: Buffer): void {
    this.deadline = performance.now() + this.pool.timeoutMs;
    if (this.handler?.onData(chunk) === false) this.socket.pause();
  }

  messageDone(): void {
    if (this.informational) {
      this.informational = false;
      return;
    }
    const handler = this.handler;
    this.handler = null;
    this.deadline = 0;
    // A body still streaming up means the app answered early: the connection is out of step.
    if (this.body !== null) this.keepAlive = false;
    this.body = null;
    this.socket.resume();
    if (this.keepAlive) this.pool.release(this);
    else this.socket.destroy();
    handler?.onEnd();
  }

  /** Ends a busy exchange with `error` (and the connection with it); idle: just forgets the connection. */
  fail(error: Error): void {
    const handler = this.handler;
    this.handler = null;
    this.deadline = 0;
    this.body = null;
    this.pool.forget(this);
    if (!this.socket.destroyed) this.socket.destroy();
    if (handler !== null) handler.onError(error, this.responded);
  }
}

// Called by the native parser with `this` set to it.
function onHeaders(this: NativeParser, headers: string[]): void {
  this.exchange?.moreHeaders(headers);
}
function onHeadersComplete(
  this: NativeParser,
  _major: number,
  _minor: number,
  headers: string[] | undefined,
  _method: unknown,
  _url: unknown,
  statusCode: number,
  _statusMessage: unknown,
  _upgrade: boolean,
  shouldKeepAlive: boolean,
): number {
  return this.exchange?.headersDone(statusCode, headers, shouldKeepAlive) ?? 0;
}
function onBody(this: NativeParser, chunk: Buffer): void {
  this.exchange?.bodyChunk(chunk);
}
function onMessageComplete(this: NativeParser): void {
  this.exchange?.messageDone();
}

export class UpstreamPool {
  readonly timeoutMs: number;
  private readonly connectTimeoutMs: number;
  private readonly maxIdle: number;
  private readonly idle = new Map<string, Connection[]>();
  private readonly busy = new Set<Connection>();
  private readonly sweeper: NodeJS.Timeout;

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
    this.busy.add(connection);
    connection.send(request, handler, connection.connected ? this.timeoutMs : this.connectTimeoutMs);
    return {
      abort: () => {
        if (connection.handler !== handler) return;
        connection.handler = null;
        this.forget(connection);
        connection.socket.destroy();
      },
      resume: () => {
        if (connection.handler === handler) connection.socket.resume();
      },
    };
  }

  private take(target: UpstreamTarget): Connection {
    const list = this.idle.get(target.origin);
    const now = performance.now();
    while (list !== undefined && list.length > 0) {
      const connection = list.pop() as Connection;
      if (!connection.socket.destroyed && now - connection.idleSince < connection.idleForMs) return connection;
      connection.socket.destroy();
    }
    return new Connection(this, target);
  }

  release(connection: Connection): void {
    this.busy.delete(connection);
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

  forget(connection: Connection): void {
    this.busy.delete(connection);
    const list = this.idle.get(connection.target.origin);
    const at = list?.indexOf(connection) ?? -1;
    if (list !== undefined && at >= 0) list.splice(at, 1);
  }

  private sweep(): void {
    const now = performance.now();
    for (const connection of this.busy) {
      if (connection.deadline === 0 || now < connection.deadline) continue;
      const code = !connection.connected ? 'EDGE_CONNECT_TIMEOUT' : connection.responded ? 'EDGE_BODY_TIMEOUT' : 'EDGE_HEADERS_TIMEOUT';
      connection.fail(failure(code, 'the app did not answer in time'));
    }
  }

  /** Closes every connection, busy or idle. */
  destroy(): void {
    clearInterval(this.sweeper);
    for (const connection of this.busy) connection.socket.destroy();
    for (const list of this.idle.values()) for (const connection of list) connection.socket.destroy();
    this.busy.clear();
    this.idle.clear();
  }
}
