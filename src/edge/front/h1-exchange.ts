// One HTTP/1.x request on a client connection and the response to it: buffers the request body
// until the request path reads it, frames the response (length as given, else chunked, or
// close-delimited for HTTP/1.0) and writes head and body in as few writes as it can.
import { STATUS_CODES } from 'node:http';
import {
  factsHaveBody,
  requestFacts,
  type BodyReceiver,
  type ClientExchange,
  type ExchangeListener,
  type RequestFacts,
} from './client-exchange.js';
import type { WriteData } from './handle-writer.js';
import { contentLengthHeader, dateHeader, headerKind } from '../header-names.js';

/** What an exchange needs from its connection. */
export interface H1Link {
  readonly remoteAddress: string;
  readonly secure: boolean;
  /** False once the connection will take no further request (closing, draining). */
  readonly reusable: boolean;
  /** `keep-alive: timeout=N`, so clients stop reusing an idle connection before the edge closes it. */
  readonly keepAliveHeader: string;
  write(data: WriteData): boolean;
  pauseReading(): void;
  resumeReading(): void;
  finished(exchange: H1Exchange): void;
  destroy(): void;
}

/** Body chunks below this size are copied into the head's string: one write instead of a writev. */
const inlineBytes = 2048;

let dateMs = 0;
let dateText = '';
/** RFC 9110 date, recomputed at most once a second. */
function httpDate(): string {
  const now = Date.now();
  if (now - dateMs >= 1000) {
    dateMs = now - (now % 1000);
    dateText = new Date(dateMs).toUTCString();
  }
  return dateText;
}

const statusLines: string[] = [];
/** `HTTP/1.1 200 OK\r\n`, made once per status code. */
function statusLine(status: number): string {
  let line = statusLines[status];
  if (line === undefined) {
    line = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Unknown'}\r\n`;
    if (Number.isInteger(status) && status >= 100 && status < 1000) statusLines[status] = line;
  }
  return line;
}

export class H1Exchange implements ClientExchange {
  readonly headers: RequestFacts;
  readonly hasBody: boolean;
  headersSent = false;
  statusCode = 0;
  /** The whole response has been handed to the connection. */
  done = false;
  /** The request body has been read to its end. */
  bodyEnded = false;
  private receiver: BodyReceiver | null = null;
  private buffered: Buffer[] | null = null;
  private discard = false;
  private head: string | null = null;
  private chunked = false;
  private bodyless = false;
  /** The connection stays open for another request after this one. */
  keepAlive: boolean;
  private listener: ExchangeListener | null = null;

  constructor(
    private readonly link: H1Link,
    readonly method: string,
    readonly url: string,
    readonly rawHeaders: string[],
    /** 0 for HTTP/1.0, 1 for HTTP/1.1. */
    readonly minorVersion: number,
    shouldKeepAlive: boolean,
    readonly upgrade: boolean,
  ) {
    this.headers = requestFacts(rawHeaders);
    this.hasBody = factsHaveBody(this.headers);
    this.keepAlive = shouldKeepAlive;
  }

  get remoteAddress(): string {
    return this.link.remoteAddress;
  }

  get secure(): boolean {
    return this.link.secure;
  }

  // --- request body -------------------------------------------------------------------------

  /** From the parser. */
  bodyChunk(chunk: Buffer): void {
    if (this.discard) return;
    if (this.receiver === null) {
      (this.buffered ??= []).push(chunk);
      return;
    }
    if (!this.receiver.data(chunk)) this.link.pauseReading();
  }

  /** From the parser. */
  bodyDone(): void {
    this.bodyEnded = true;
    if (this.receiver !== null && this.buffered === null) this.receiver.end();
  }

  readBody(receiver: BodyReceiver): void {
    this.receiver = receiver;
    const buffered = this.buffered;
    this.buffered = null;
    let flowing = true;
    if (buffered !== null) for (const chunk of buffered) flowing = receiver.data(chunk) && flowing;
    if (!flowing) this.link.pauseReading();
    if (this.bodyEnded) receiver.end();
  }

  resumeBody(): void {
    this.link.resumeReading();
  }

  /** Chunks still being parsed after the response ended are dropped. */
  private dropBody(): void {
    this.discard = true;
    this.buffered = null;
    this.receiver = null;
  }

  // --- response -----------------------------------------------------------------------------

  writeHead(statusCode: number, headers: readonly string[]): void {
    let lines = '';
    let hasLength = false;
    let hasDate = false;
    for (let i = 0; i < headers.length; i += 2) {
      const name = headers[i] ?? '';
      const kind = headerKind(name);
      if (kind === contentLengthHeader) hasLength = true;
      else if (kind === dateHeader) hasDate = true;
      lines += `${name}: ${headers[i + 1] ?? ''}\r\n`;
    }
    this.writeHeadLines(statusCode, lines, hasLength, hasDate);
  }

  writeHeadLines(statusCode: number, lines: string, hasLength: boolean, hasDate: boolean): void {
    if (this.headersSent) return;
    this.headersSent = true;
    this.statusCode = statusCode;
    let head = statusLine(statusCode) + lines;
    this.bodyless = this.method === 'HEAD' || statusCode < 200 || statusCode === 204 || statusCode === 304;
    if (!this.bodyless && !hasLength) {
      if (this.minorVersion >= 1) {
        this.chunked = true;
        head += 'transfer-encoding: chunked\r\n';
      } else {
        this.keepAlive = false;
      }
    }
    if (!hasDate) head += `date: ${httpDate()}\r\n`;
    if (!this.link.reusable) this.keepAlive = false;
    if (!this.keepAlive) head += 'connection: close\r\n';
    else head += this.minorVersion === 0 ? `connection: keep-alive\r\n${this.link.keepAliveHeader}` : this.link.keepAliveHeader;
    this.head = `${head}\r\n`;
  }

  write(chunk: Buffer): boolean {
    if (this.done || this.bodyless || chunk.length === 0) return true;
    return this.link.write(this.framed(chunk, ''));
  }

  end(body?: Buffer): void {
    if (this.done) return;
    if (!this.headersSent) this.writeHead(200, []);
    const tail = this.chunked ? '0\r\n\r\n' : '';
    if (body !== undefined && body.length > 0 && !this.bodyless) this.link.write(this.framed(body, tail));
    else if (this.head !== null || tail !== '') this.link.write(this.takeHead() + tail);
    this.done = true;
    this.dropBody();
    this.closed(true);
    this.link.finished(this);
  }

  destroy(): void {
    this.link.destroy();
  }

  listen(listener: ExchangeListener): void {
    this.listener = listener;
  }

  /** From the connection: its socket drained. */
  drained(): void {
    this.listener?.drained();
  }

  /** From the connection (client gone) or end(): tells the listener once. */
  closed(completed: boolean): void {
    const listener = this.listener;
    this.listener = null;
    if (!completed) this.dropBody();
    listener?.closed(completed);
  }

  private takeHead(): string {
    const head = this.head ?? '';
    this.head = null;
    return head;
  }

  private framed(chunk: Buffer, tail: string): WriteData {
    const prefix = this.takeHead() + (this.chunked ? `${chunk.length.toString(16)}\r\n` : '');
    const suffix = (this.chunked ? '\r\n' : '') + tail;
    if (chunk.length < inlineBytes) return prefix + chunk.toString('latin1') + suffix;
    if (prefix === '' && suffix === '') return chunk;
    return suffix === '' ? [prefix, chunk] : prefix === '' ? [chunk, suffix] : [prefix, chunk, suffix];
  }
}
