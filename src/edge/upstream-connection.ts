// One keep-alive HTTP/1.1 connection from the edge to an app instance, one exchange at a time:
// Node's native llhttp parser reads the socket itself, requests are written straight to its
// handle (front/native-http.ts), bodies stream both ways with backpressure, and every exchange
// ends with exactly one of onEnd or onError. The pool (upstream-pool.ts) owns reuse and timeouts.
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import type { BodyReceiver } from './front/client-exchange.js';
import { HandleWriter } from './front/handle-writer.js';
import { HTTPParser, type NativeParser, type StreamHandle } from './front/native-http.js';

type BoundParser = NativeParser & { exchange: UpstreamConnection | null };

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
  /** `last`: the final body chunk, not passed to onData (a body of known length: the client can end with it in one write). */
  onEnd(last?: Buffer): void;
  /** `responded`: part of the response already reached onHead (the exchange cannot be retried). */
  onError(error: Error, responded: boolean): void;
}

export interface UpstreamRequest {
  method: string;
  /** Already rewritten, no hop-by-hop headers, no Transfer-Encoding. */
  head: { path: string; headers: readonly string[] };
  /** The client's request when it carries a body (streamed with backpressure), else null. */
  body: BodySource | null;
}

/** A request body as the client side delivers it. */
export interface BodySource {
  readBody(receiver: BodyReceiver): void;
  resumeBody(): void;
}

/** The connection carrying one exchange; calls from a handler it no longer serves do nothing. */
export interface UpstreamCall {
  /** Ends the exchange early (the client went away): the connection is not reused. */
  abort(handler: UpstreamHandler): void;
  resume(handler: UpstreamHandler): void;
}

/** An idle connection older than this (or than the app's Keep-Alive timeout hint, less a margin) is not reused. */
const defaultIdleMs = 4_000;
const idleMarginMs = 500;

export function failure(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

/** Last Keep-Alive header value seen and the idle time it means (apps repeat the same one). */
let keepAliveSeen = '';
let keepAliveMs = 0;

function keepAliveIdleMs(value: string): number {
  if (value !== keepAliveSeen) {
    const seconds = Number(/timeout=(\d+)/i.exec(value)?.[1]);
    keepAliveSeen = value;
    keepAliveMs = seconds > 0 ? Math.max(0, seconds * 1000 - idleMarginMs) : 0;
  }
  return keepAliveMs;
}

/** What a connection needs from the pool that made it. */
export interface ConnectionOwner {
  readonly timeoutMs: number;
  release(connection: UpstreamConnection): void;
  forget(connection: UpstreamConnection): void;
}

export class UpstreamConnection implements UpstreamCall {
  readonly socket: net.Socket;
  readonly parser: BoundParser;
  readonly writer: HandleWriter;
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
  body: BodySource | null = null;
  chunked = false;
  /** Body bytes still to come of a response with a Content-Length; -1: the parser says when it ends. */
  private remaining = -1;
  private paused = false;
  private headers: string[] = [];

  constructor(
    readonly pool: ConnectionOwner,
    readonly target: UpstreamTarget,
  ) {
    this.socket = net.connect({ host: target.host, port: target.port, noDelay: true });
    this.writer = new HandleWriter(this.socket);
    this.writer.hold();
    this.writer.onDrain = () => this.body?.resumeBody();
    const parser = new HTTPParser() as BoundParser;
    parser.initialize(HTTPParser.RESPONSE, {}, 0, 0);
    parser.exchange = this;
    parser[HTTPParser.kOnHeaders] = onHeaders;
    parser[HTTPParser.kOnHeadersComplete] = onHeadersComplete;
    parser[HTTPParser.kOnBody] = onBody;
    parser[HTTPParser.kOnMessageComplete] = onMessageComplete;
    parser[HTTPParser.kOnExecute] = onExecute;
    this.parser = parser;
    this.socket.on('connect', () => this.opened());
    this.socket.on('end', () => this.ended());
    this.socket.on('error', (error: Error) => this.fail(error));
    this.socket.on('close', () => {
      this.fail(failure('ECONNRESET', 'the app closed the connection before answering'));
      // Freed once the parser's own stack has unwound (as node:http does).
      setImmediate(() => {
        parser.exchange = null;
        parser.close();
      });
    });
  }

  private opened(): void {
    this.connected = true;
    if (this.handler !== null) this.deadline = performance.now() + this.pool.timeoutMs;
    const handle = this.handle();
    if (handle !== null) this.parser.consume(handle);
    // Flowing, so node:net reports the app's end of stream (reads themselves go to the parser).
    this.socket.resume();
    this.writer.release();
  }

  private handle(): StreamHandle | null {
    return (this.socket as unknown as { _handle: StreamHandle | null })._handle;
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
    this.chunked = body !== null && !hasLength(headers);
    if (this.chunked) head += 'transfer-encoding: chunked\r\n';
    this.writer.write(`${head}\r\n`);
    if (body !== null) this.streamBody(body);
  }

  private streamBody(body: BodySource): void {
    this.body = body;
    body.readBody({
      data: (chunk) => {
        if (this.body !== body || chunk.length === 0) return true;
        return this.writer.write(this.chunked ? [`${chunk.length.toString(16)}\r\n`, chunk, '\r\n'] : chunk);
      },
      end: () => {
        if (this.body !== body) return;
        if (this.chunked) this.writer.write('0\r\n\r\n');
        this.body = null;
      },
    });
  }

  /** After each read the parser handled. */
  executed(result: number | Error): void {
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
    if (this.handler === null) {
      // A response nobody asked for: the connection is out of step; never reuse it.
      this.socket.destroy();
      return 1;
    }
    if (statusCode < 200) {
      this.informational = true;
      this.parser[HTTPParser.kOnMessageComplete] = onMessageComplete;
      return 1; // 1xx has no body; the final answer follows on the same connection
    }
    let closeAsked = false;
    let length = -1;
    for (let i = 0; i < all.length; i += 2) {
      const name = all[i] ?? '';
      if (name.length === 14) {
        if (name.toLowerCase() === 'content-length') length = Number(all[i + 1]);
        continue;
      }
      if (name.length !== 10) continue;
      const lower = name.toLowerCase();
      if (lower === 'keep-alive') {
        const idleMs = keepAliveIdleMs(all[i + 1] ?? '');
        if (idleMs > 0) this.idleForMs = idleMs;
      } else if (this.skipBody && lower === 'connection' && /\bclose\b/i.test(all[i + 1] ?? '')) {
        closeAsked = true;
      }
    }
    // llhttp judges a bodiless HEAD answer without a length as ending at close; it does not.
    this.keepAlive = this.skipBody ? !closeAsked : shouldKeepAlive;
    this.responded = true;
    this.deadline = performance.now() + this.pool.timeoutMs;
    // A body of known length ends with its last byte (bodyChunk): no message-complete callback from
    // the native parser, one call from C++ into JavaScript less per response.
    const counted = !this.skipBody && statusCode !== 204 && statusCode !== 304 && length > 0 && Number.isSafeInteger(length);
    this.remaining = counted ? length : -1;
    this.parser[HTTPParser.kOnMessageComplete] = counted ? undefined : onMessageComplete;
    this.handler.onHead(statusCode, all);
    return this.skipBody ? 1 : 0;
  }

  moreHeaders(headers: string[]): void {
    for (const h of headers) this.headers.push(h);
  }

  bodyChunk(chunk: Buffer): void {
    this.deadline = performance.now() + this.pool.timeoutMs;
    const handler = this.handler;
    if (handler === null) return;
    if (this.remaining < 0) {
      if (!handler.onData(chunk)) this.pause();
      return;
    }
    this.remaining -= chunk.length;
    if (this.remaining <= 0) this.messageDone(chunk);
    else if (!handler.onData(chunk)) this.pause();
  }

  abort(handler: UpstreamHandler): void {
    if (this.handler !== handler) return;
    this.handler = null;
    this.pool.forget(this);
    this.socket.destroy();
  }

  pause(): void {
    const handle = this.handle();
    if (this.paused || handle === null) return;
    this.paused = true;
    handle.reading = false;
    handle.readStop();
  }

  resume(handler?: UpstreamHandler): void {
    if (handler !== undefined && this.handler !== handler) return;
    const handle = this.handle();
    if (!this.paused || handle === null) return;
    this.paused = false;
    handle.reading = true;
    handle.readStart();
  }

  messageDone(last?: Buffer): void {
    if (this.informational) {
      this.informational = false;
      return;
    }
    this.remaining = -1;
    const handler = this.handler;
    this.handler = null;
    this.deadline = 0;
    // A body still streaming up means the app answered early: the connection is out of step.
    if (this.body !== null) this.keepAlive = false;
    this.body = null;
    this.resume();
    if (this.keepAlive) this.pool.release(this);
    else this.socket.destroy();
    handler?.onEnd(last);
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

function hasLength(headers: readonly string[]): boolean {
  for (let i = 0; i < headers.length; i += 2) {
    const name = headers[i] ?? '';
    if (name.length === 14 && name.toLowerCase() === 'content-length') return true;
  }
  return false;
}

// Called by the native parser with `this` set to it.
function onHeaders(this: BoundParser, headers: string[]): void {
  this.exchange?.moreHeaders(headers);
}
function onHeadersComplete(
  this: BoundParser,
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
function onBody(this: BoundParser, chunk: Buffer): void {
  this.exchange?.bodyChunk(chunk);
}
function onMessageComplete(this: BoundParser): void {
  this.exchange?.messageDone();
}
function onExecute(this: BoundParser, result: number | Error): void {
  this.exchange?.executed(result);
}

