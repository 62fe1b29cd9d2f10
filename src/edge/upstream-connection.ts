// One keep-alive HTTP/1.1 connection from the edge to an app instance, one exchange at a time:
// the socket reads into the connection's own reusable buffer (node:net's `onread`), responses are
// parsed from it in JavaScript (response-parser.ts) and body bytes handed on as views of it
// (front/lent-chunks.ts), requests are written straight to the socket's handle
// (front/handle-writer.ts), bodies stream both ways with backpressure, and every exchange ends
// with exactly one of onEnd or onError. The pool (upstream-pool.ts) owns reuse and timeouts.
// Measured on bench/edge: Node's native parser reading the socket itself cost more CPU per
// request (three calls from C++ into JavaScript and a copied body per response).
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import type { BodyReceiver } from './front/client-exchange.js';
import { HandleWriter } from './front/handle-writer.js';
import { lending, type ChunkLender } from './front/lent-chunks.js';
import type { StreamHandle } from './front/native-http.js';
import { contentLengthHeader, headerKind } from './header-names.js';
import { ResponseParser, type ResponseSink } from './response-parser.js';

/** Bytes per read; a connection's buffer is replaced only when a view of it outlives a read. */
const readBufferBytes = 16 * 1024;

export interface UpstreamTarget {
  host: string;
  port: number;
  /** `http://host:port`: the pool key. */
  origin: string;
}

/** What one exchange hears back; every call ends with exactly one of onEnd or onError. */
export interface UpstreamHandler {
  /**
   * Final response head (1xx are skipped). `lines`: its header lines without the hop-by-hop ones, as
   * sent (for an HTTP/1.1 client to pass on), or null; `hasLength`/`hasDate`: of those lines.
   */
  onHead(statusCode: number, rawHeaders: string[], lines: string | null, hasLength: boolean, hasDate: boolean): void;
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

export class UpstreamConnection implements UpstreamCall, ResponseSink, ChunkLender {
  readonly socket: net.Socket;
  readonly parser: ResponseParser;
  readonly writer: HandleWriter;
  handler: UpstreamHandler | null = null;
  responded = false;
  keepAlive = true;
  idleForMs = defaultIdleMs;
  idleSince = 0;
  /** performance.now() after which a busy connection has timed out (0: idle). */
  deadline = 0;
  connected = false;
  body: BodySource | null = null;
  chunked = false;
  readBuffer = Buffer.allocUnsafe(readBufferBytes);
  readKept = false;
  private paused = false;
  /** A read is being parsed: a response that ends in it returns the connection to the pool only after it. */
  private inRead = false;
  private releaseAfterRead = false;

  constructor(
    readonly pool: ConnectionOwner,
    readonly target: UpstreamTarget,
  ) {
    this.parser = new ResponseParser(this);
    this.socket = net.connect({
      host: target.host,
      port: target.port,
      noDelay: true,
      onread: { buffer: () => this.nextReadBuffer(), callback: (bytes, buffer) => this.read(bytes, buffer as Buffer) },
    });
    this.writer = new HandleWriter(this.socket);
    this.writer.hold();
    this.writer.onDrain = () => this.body?.resumeBody();
    this.socket.on('connect', () => this.opened());
    this.socket.on('end', () => this.ended());
    this.socket.on('error', (error: Error) => this.fail(error));
    this.socket.on('close', () => this.fail(failure('ECONNRESET', 'the app closed the connection before answering')));
  }

  private opened(): void {
    this.connected = true;
    if (this.handler !== null) this.deadline = performance.now() + this.pool.timeoutMs;
    // Flowing, so node:net reads (into readBuffer, for read()) and reports the app's end of stream.
    this.socket.resume();
    this.writer.release();
  }

  private handle(): StreamHandle | null {
    return (this.socket as unknown as { _handle: StreamHandle | null })._handle;
  }

  /** node:net asks, after each read, where the next one goes. */
  private nextReadBuffer(): Buffer {
    if (this.readKept) {
      this.readKept = false;
      this.readBuffer = Buffer.allocUnsafe(readBufferBytes);
    }
    return this.readBuffer;
  }

  /** `bytes` just read into `buffer` (this connection's readBuffer). */
  private read(bytes: number, buffer: Buffer): boolean {
    lending(this);
    this.inRead = true;
    const error = this.parser.execute(buffer, 0, bytes);
    this.inRead = false;
    lending(null);
    const release = this.releaseAfterRead;
    this.releaseAfterRead = false;
    if (error !== null) {
      this.fail(failure(error.code, `the app sent an invalid response: ${error.message}`));
    } else if (this.handler === null && !this.parser.idle && !this.socket.destroyed) {
      // Bytes after the response it asked for: the connection is out of step; never reuse it.
      this.pool.forget(this);
      this.socket.destroy();
    } else if (release && !this.socket.destroyed) {
      this.pool.release(this);
    }
    // Pausing is done on the handle itself (pause()), so node:net never stops reading on its own.
    return true;
  }

  send(request: UpstreamRequest, handler: UpstreamHandler, timeoutMs: number): void {
    this.handler = handler;
    this.responded = false;
    this.parser.bodiless = request.method === 'HEAD';
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

  private ended(): void {
    this.keepAlive = false;
    // A response delimited by the connection's end completes here; one cut short fails on close.
    if (this.handler !== null) this.parser.finish();
    this.socket.destroy();
  }

  // --- ResponseSink ---------------------------------------------------------------------------

  responseHead(statusCode: number, headers: string[], keepAlive: boolean, keepAliveHint: string): void {
    if (this.handler === null) {
      // A response nobody asked for: the connection is out of step; never reuse it.
      this.parser.stop();
      this.pool.forget(this);
      this.socket.destroy();
      return;
    }
    if (statusCode < 200) return; // 1xx: the final answer follows on the same connection
    if (keepAliveHint !== '') {
      const idleMs = keepAliveIdleMs(keepAliveHint);
      if (idleMs > 0) this.idleForMs = idleMs;
    }
    this.keepAlive = keepAlive;
    this.responded = true;
    this.deadline = performance.now() + this.pool.timeoutMs;
    const parser = this.parser;
    this.handler.onHead(statusCode, headers, parser.forwardLines, parser.hasLength, parser.hasDate);
  }

  responseBody(buffer: Buffer, start: number, end: number, last: boolean): void {
    const handler = this.handler;
    if (handler === null) return;
    const chunk = buffer.subarray(start, end);
    if (last) {
      this.messageDone(chunk);
      return;
    }
    this.deadline = performance.now() + this.pool.timeoutMs;
    if (!handler.onData(chunk)) this.pause();
  }

  responseEnd(): void {
    this.messageDone();
  }

  // --- UpstreamCall ---------------------------------------------------------------------------

  abort(handler: UpstreamHandler): void {
    if (this.handler !== handler) return;
    this.handler = null;
    this.parser.stop();
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

  private messageDone(last?: Buffer): void {
    const handler = this.handler;
    this.handler = null;
    this.deadline = 0;
    // A body still streaming up means the app answered early: the connection is out of step.
    if (this.body !== null) this.keepAlive = false;
    this.body = null;
    this.resume();
    if (this.keepAlive) {
      // Not reused before the rest of this read is known to hold nothing more (read()).
      if (this.inRead) this.releaseAfterRead = true;
      else this.pool.release(this);
    } else {
      this.parser.stop();
      this.socket.destroy();
    }
    handler?.onEnd(last);
  }

  /** Ends a busy exchange with `error` (and the connection with it); idle: just forgets the connection. */
  fail(error: Error): void {
    const handler = this.handler;
    this.handler = null;
    this.deadline = 0;
    this.body = null;
    this.parser.stop();
    this.pool.forget(this);
    if (!this.socket.destroyed) this.socket.destroy();
    if (handler !== null) handler.onError(error, this.responded);
  }
}

function hasLength(headers: readonly string[]): boolean {
  for (let i = 0; i < headers.length; i += 2) if (headerKind(headers[i] ?? '') === contentLengthHeader) return true;
  return false;
}
