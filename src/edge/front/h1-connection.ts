// One client connection speaking HTTP/1.x: the native parser reads the socket itself, requests
// are answered one at a time in order (pipelined ones wait, and reading pauses meanwhile), an
// Upgrade hands the socket over, and bad or oversized requests get 400/431 before it closes.
import type { Socket } from 'node:net';
import { H1Exchange, type H1Link } from './h1-exchange.js';
import { HandleWriter, type WriteData } from './handle-writer.js';
import { HTTPParser, httpMethods, type NativeParser, type StreamHandle } from './native-http.js';

export interface H1Handlers {
  /** A request whose turn has come: answer it through the exchange. */
  request(exchange: H1Exchange): void;
  /** An Upgrade (or CONNECT) request: the socket is the handler's from now on. */
  upgrade(exchange: H1Exchange, socket: Socket, head: Buffer): void;
}

/** What a connection needs from the server that accepted it. */
export interface H1Host {
  readonly handlers: H1Handlers;
  readonly secure: boolean;
  readonly draining: boolean;
  readonly keepAliveTimeoutMs: number;
  readonly keepAliveHeader: string;
  readonly headersTimeoutMs: number;
  readonly maxHeaderBytes: number;
  forget(connection: H1Connection): void;
}

function rawResponse(status: number, text: string): Buffer {
  return Buffer.from(`HTTP/1.1 ${status} ${text}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`, 'latin1');
}
const badRequest = rawResponse(400, 'Bad Request');
const headersTooLarge = rawResponse(431, 'Request Header Fields Too Large');
const requestTimeout = rawResponse(408, 'Request Timeout');

// Called by the native parser with `this` set to it.
type BoundParser = NativeParser & { connection: H1Connection | null };
function onHeaders(this: BoundParser, headers: string[], url: string): void {
  this.connection?.moreHeaders(headers, url);
}
function onHeadersComplete(
  this: BoundParser,
  major: number,
  minor: number,
  headers: string[] | undefined,
  method: number,
  url: string,
  _status: unknown,
  _statusMessage: unknown,
  upgrade: boolean,
  shouldKeepAlive: boolean,
): number {
  return this.connection?.headersDone(major, minor, headers, method, url, upgrade, shouldKeepAlive) ?? 0;
}
function onBody(this: BoundParser, chunk: Buffer): void {
  this.connection?.parsing?.bodyChunk(chunk);
}
function onMessageComplete(this: BoundParser): void {
  this.connection?.messageDone();
}
function onExecute(this: BoundParser, result: number | Error): void {
  this.connection?.executed(result, null);
}

export class H1Connection implements H1Link {
  readonly remoteAddress: string;
  /** performance.now()-style deadline in ms (Date.now()), 0 when none applies. */
  deadline = 0;
  private deadlineKind: 'idle' | 'headers' = 'idle';
  readonly writer: HandleWriter;
  private readonly parser: BoundParser;
  /** The exchange being answered. */
  current: H1Exchange | null = null;
  /** The exchange whose request is being parsed (its body chunks go to it). */
  parsing: H1Exchange | null = null;
  /** Pipelined requests waiting for their turn. */
  private readonly waiting: H1Exchange[] = [];
  private partialHeaders: string[] = [];
  private partialUrl = '';
  /** An Upgrade request the parser stopped at, and the bytes that followed its head. */
  private upgrading: H1Exchange | null = null;
  private upgradeHead: Buffer | null = null;
  private readPaused = false;
  private bodyPaused = false;
  private clientEnded = false;
  private detached = false;
  private consumed = false;
  /** No request has started yet: a client that just connected, its first request maybe on its way. */
  private fresh = true;

  constructor(
    readonly socket: Socket,
    private readonly host: H1Host,
  ) {
    const address = socket.remoteAddress ?? '';
    this.remoteAddress = address.startsWith('::ffff:') ? address.slice(7) : address;
    this.writer = new HandleWriter(socket);
    this.writer.onDrain = () => this.current?.drained();
    const parser = new HTTPParser() as BoundParser;
    parser.initialize(HTTPParser.REQUEST, {}, host.maxHeaderBytes, 0);
    parser.connection = this;
    parser[HTTPParser.kOnHeaders] = onHeaders;
    parser[HTTPParser.kOnHeadersComplete] = onHeadersComplete;
    parser[HTTPParser.kOnBody] = onBody;
    parser[HTTPParser.kOnMessageComplete] = onMessageComplete;
    parser[HTTPParser.kOnExecute] = onExecute;
    this.parser = parser;
    socket.on('error', () => socket.destroy());
    socket.on('end', () => this.ended());
    socket.on('close', () => this.closed());
    const handle = (socket as unknown as { _handle: (StreamHandle & { isStreamBase?: boolean }) | null })._handle;
    if (handle?.isStreamBase === true) {
      parser.consume(handle);
      this.consumed = true;
      // Flowing, so node:net reports the client's end of stream (reads themselves go to the parser).
      socket.resume();
    } else {
      socket.on('data', (data: Buffer) => this.executed(parser.execute(data), data));
    }
    this.setDeadline('idle', host.keepAliveTimeoutMs);
  }

  get secure(): boolean {
    return this.host.secure;
  }

  get keepAliveHeader(): string {
    return this.host.keepAliveHeader;
  }

  get reusable(): boolean {
    return !this.clientEnded && !this.host.draining && !this.detached;
  }

  // --- parser events ----------------------------------------------------------------------------

  moreHeaders(headers: string[], url: string): void {
    for (const item of headers) this.partialHeaders.push(item);
    if (url) this.partialUrl += url;
  }

  headersDone(
    major: number,
    minor: number,
    headers: string[] | undefined,
    method: number,
    url: string,
    upgrade: boolean,
    shouldKeepAlive: boolean,
  ): number {
    const raw = headers ?? this.partialHeaders;
    this.partialHeaders = [];
    const target = this.partialUrl === '' ? url : this.partialUrl + url;
    this.partialUrl = '';
    const methodName = httpMethods[method] ?? 'GET';
    const exchange = new H1Exchange(this, methodName, target, raw, major >= 1 ? minor : 0, shouldKeepAlive, upgrade);
    // A request without a body is complete here: the parser need not call back when it ends.
    const bodyless = !upgrade && !exchange.hasBody;
    this.parser[HTTPParser.kOnMessageComplete] = bodyless ? undefined : onMessageComplete;
    if (bodyless) {
      this.parsing = null;
      exchange.bodyDone();
    } else {
      this.parsing = exchange;
    }
    this.deadline = 0;
    if (upgrade) {
      // Its turn comes once the parser has stopped (executed() below) and earlier requests are answered.
      this.upgrading = exchange;
      this.waiting.push(exchange);
      this.updateReading();
      // 2: no body, and parsing stops here; the socket is the upgrade handler's.
      return 2;
    }
    if (this.current === null && this.waiting.length === 0) this.start(exchange);
    else {
      this.waiting.push(exchange);
      this.updateReading();
    }
    return 0;
  }

  messageDone(): void {
    const exchange = this.parsing;
    this.parsing = null;
    exchange?.bodyDone();
  }

  /** After each read the parser handled (consumed sockets), or each execute (others). */
  executed(result: number | Error, data: Buffer | null): void {
    if (this.detached) return;
    if (result instanceof Error) {
      this.parseFailed(result as Error & { code?: string });
      return;
    }
    const upgrading = this.upgrading;
    if (upgrading !== null) {
      if (this.upgradeHead !== null) return;
      const buffer = data ?? this.parser.getCurrentBuffer();
      this.upgradeHead = Buffer.from(buffer.subarray(result));
      this.parsing = null;
      if (this.current === null && this.waiting[0] === upgrading) this.takeTurn();
      return;
    }
    // Bytes of a request arrived while idle: the whole head must follow in time.
    if (this.current === null && this.parsing === null && this.deadlineKind === 'idle' && this.deadline !== 0)
      this.setDeadline('headers', this.host.headersTimeoutMs);
  }

  private parseFailed(error: Error & { code?: string }): void {
    const started = this.current?.headersSent === true;
    if (!started && this.socket.writable) {
      this.writer.write(error.code === 'HPE_HEADER_OVERFLOW' ? headersTooLarge : badRequest);
      this.detachParser();
      this.writer.end();
      this.current?.closed(false);
      this.current = null;
      return;
    }
    this.socket.destroy();
  }

  // --- turns ------------------------------------------------------------------------------------

  private start(exchange: H1Exchange): void {
    this.fresh = false;
    this.current = exchange;
    this.deadline = 0;
    const expect = exchange.headers.expect;
    if (expect !== undefined && exchange.minorVersion >= 1 && expect.toLowerCase() === '100-continue')
      this.writer.write('HTTP/1.1 100 Continue\r\n\r\n');
    this.host.handlers.request(exchange);
  }

  /** The next waiting request gets its turn, or the connection idles (or closes). */
  private takeTurn(): void {
    const next = this.waiting[0];
    if (next !== undefined && next.upgrade) {
      if (this.upgradeHead === null) return; // its head is still being parsed
      this.waiting.shift();
      this.handOver(next, this.upgradeHead);
      return;
    }
    if (next !== undefined) {
      this.waiting.shift();
      this.updateReading();
      this.start(next);
      return;
    }
    if (!this.reusable) {
      this.writer.end();
      return;
    }
    this.setDeadline('idle', this.host.keepAliveTimeoutMs);
    this.updateReading();
  }

  private handOver(exchange: H1Exchange, head: Buffer): void {
    this.detached = true;
    this.parser.connection = null;
    this.host.forget(this);
    this.deadline = 0;
    const socket = this.socket;
    socket.removeAllListeners('end');
    socket.removeAllListeners('close');
    socket.removeAllListeners('data');
    const handle = (socket as unknown as { _handle: StreamHandle | null })._handle;
    if (this.consumed && handle !== null) {
      this.parser.unconsume();
      // Reads go to node:net again (buffered until the new owner pipes or listens).
      if (this.readPaused) {
        handle.reading = true;
        handle.readStart();
      }
    } else if (this.readPaused) {
      socket.resume();
    }
    this.consumed = false;
    setImmediate(() => this.parser.close());
    (socket as { readableFlowing: boolean | null }).readableFlowing = null;
    this.host.handlers.upgrade(exchange, socket, head);
  }

  // --- H1Link -----------------------------------------------------------------------------------

  write(data: WriteData): boolean {
    return this.writer.write(data);
  }

  pauseReading(): void {
    this.bodyPaused = true;
    this.updateReading();
  }

  resumeReading(): void {
    this.bodyPaused = false;
    this.updateReading();
  }

  finished(exchange: H1Exchange): void {
    if (exchange !== this.current) return;
    this.current = null;
    this.bodyPaused = false;
    if (!exchange.keepAlive) {
      this.detachParser();
      this.writer.end();
      return;
    }
    this.takeTurn();
  }

  destroy(): void {
    this.socket.destroy();
  }

  // --- socket events ----------------------------------------------------------------------------

  private ended(): void {
    this.clientEnded = true;
    if (this.current === null && this.waiting.length === 0 && this.parsing === null) this.writer.end();
  }

  private closed(): void {
    this.host.forget(this);
    this.deadline = 0;
    const current = this.current;
    this.current = null;
    this.waiting.length = 0;
    current?.closed(false);
    this.detachParser();
  }

  /** The sweeper found the deadline passed. */
  expired(): void {
    if (this.deadlineKind === 'headers' && this.socket.writable) {
      this.writer.write(requestTimeout);
      this.writer.end();
      setTimeout(() => this.socket.destroy(), 1000).unref();
    } else {
      this.socket.destroy();
    }
    this.deadline = 0;
  }

  /**
   * Draining: a keep-alive connection waiting for its next request closes now; a busy one after
   * its response. One accepted just before, whose first request (or the rest of a head) is still
   * on its way, gets that request answered (then closes) unless its deadline comes first.
   */
  drain(): void {
    if (this.current === null && this.waiting.length === 0 && !this.fresh && this.deadlineKind === 'idle') this.socket.destroy();
  }

  /** Closing: closes now unless a request is being answered or waits its turn. */
  closeIfIdle(): void {
    if (this.current === null && this.waiting.length === 0) this.socket.destroy();
  }

  private setDeadline(kind: 'idle' | 'headers', ms: number): void {
    this.deadlineKind = kind;
    this.deadline = Date.now() + ms;
  }

  private updateReading(): void {
    if (this.detached || this.socket.destroyed) return;
    const pause = this.bodyPaused || this.waiting.length > 0;
    if (pause === this.readPaused) return;
    this.readPaused = pause;
    const handle = (this.socket as unknown as { _handle: StreamHandle | null })._handle;
    if (!this.consumed || handle === null) {
      if (pause) this.socket.pause();
      else this.socket.resume();
      return;
    }
    handle.reading = !pause;
    if (pause) handle.readStop();
    else handle.readStart();
  }

  /** No more requests on this connection; the parser is released once its own stack has unwound. */
  private detachParser(): void {
    if (this.detached) return;
    this.detached = true;
    this.parser.connection = null;
    setImmediate(() => {
      const handle = (this.socket as unknown as { _handle: StreamHandle | null })._handle;
      if (this.consumed && handle !== null) this.parser.unconsume();
      this.parser.close();
    });
  }
}
