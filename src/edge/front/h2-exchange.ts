// One HTTP/2 stream as a ClientExchange: pseudo-headers become method, target and Host, cookies
// split across fields are joined again for the HTTP/1.1 hop to the app, and the response is
// written with node:http2's stream API (no compatibility layer).
import { constants, type ServerHttp2Stream } from 'node:http2';
import {
  requestFacts,
  type BodyReceiver,
  type ClientExchange,
  type ExchangeListener,
  type RequestFacts,
} from './client-exchange.js';
import { keepChunk } from './lent-chunks.js';

/** Not allowed in HTTP/2 responses (RFC 9113 §8.2.2); the edge never forwards them anyway. */
const connectionSpecific = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade']);

/** Request name/value pairs without pseudo-headers, `:authority` as Host, cookies in one field. */
function requestPairs(raw: readonly string[], authority: string | undefined): string[] {
  const pairs: string[] = [];
  let cookie: string | null = null;
  let host = false;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] ?? '';
    if (name.charCodeAt(0) === 58 /* : */) continue;
    const value = raw[i + 1] ?? '';
    if (name === 'cookie') {
      cookie = cookie === null ? value : `${cookie}; ${value}`;
      continue;
    }
    if (name === 'host') host = true;
    pairs.push(name, value);
  }
  if (!host && authority !== undefined) pairs.unshift('host', authority);
  if (cookie !== null) pairs.push('cookie', cookie);
  return pairs;
}

/** The stream keeps what it is given until sent: a small lent chunk is copied (from Node's pool), a larger one kept. */
function held(chunk: Buffer): Buffer {
  if (chunk.length < 2048) return Buffer.from(chunk);
  keepChunk(chunk);
  return chunk;
}

export class H2Exchange implements ClientExchange {
  readonly method: string;
  readonly url: string;
  readonly rawHeaders: string[];
  readonly headers: RequestFacts;
  readonly remoteAddress: string;
  readonly secure = true;
  readonly hasBody: boolean;
  statusCode = 0;
  private done = false;
  private awaitingDrain = false;
  private listener: ExchangeListener | null = null;

  constructor(
    private readonly stream: ServerHttp2Stream,
    pseudo: { method: string; path: string; authority: string | undefined },
    raw: readonly string[],
    remoteAddress: string,
    /** The HEADERS frame ended the stream: no body follows. */
    endStream: boolean,
  ) {
    this.method = pseudo.method;
    this.url = pseudo.path;
    this.rawHeaders = requestPairs(raw, pseudo.authority);
    this.headers = requestFacts(this.rawHeaders);
    // HTTP/2 frames bodies itself: a request has one unless its HEADERS frame ended the stream.
    this.hasBody = !endStream && this.headers['content-length'] !== '0';
    this.remoteAddress = remoteAddress;
    stream.on('close', () => this.closed(false));
    stream.on('error', () => stream.destroy());
  }

  get headersSent(): boolean {
    return this.stream.headersSent;
  }

  readBody(receiver: BodyReceiver): void {
    this.stream.on('data', (chunk: Buffer) => {
      if (!receiver.data(chunk)) this.stream.pause();
    });
    this.stream.on('end', () => receiver.end());
  }

  resumeBody(): void {
    this.stream.resume();
  }

  writeHead(statusCode: number, headers: readonly string[]): void {
    if (this.stream.headersSent || this.stream.destroyed) return;
    this.statusCode = statusCode;
    const out: Record<string, string | string[] | number> = { ':status': statusCode };
    for (let i = 0; i < headers.length; i += 2) {
      const name = (headers[i] ?? '').toLowerCase();
      if (connectionSpecific.has(name)) continue;
      const value = headers[i + 1] ?? '';
      const earlier = out[name];
      if (earlier === undefined) out[name] = value;
      else out[name] = Array.isArray(earlier) ? [...earlier, value] : [String(earlier), value];
    }
    this.stream.respond(out);
  }

  write(chunk: Buffer): boolean {
    if (this.done || this.stream.destroyed) return true;
    if (this.stream.write(held(chunk))) return true;
    // Listened for only when needed: most responses never fill the stream's buffer.
    if (!this.awaitingDrain) {
      this.awaitingDrain = true;
      this.stream.once('drain', () => {
        this.awaitingDrain = false;
        this.listener?.drained();
      });
    }
    return false;
  }

  end(body?: Buffer): void {
    if (this.done) return;
    if (!this.stream.headersSent) this.writeHead(200, []);
    this.done = true;
    if (!this.stream.destroyed) this.stream.end(body === undefined ? undefined : held(body));
    this.closed(true);
  }

  destroy(): void {
    if (!this.stream.destroyed) this.stream.close(constants.NGHTTP2_INTERNAL_ERROR);
  }

  listen(listener: ExchangeListener): void {
    this.listener = listener;
  }

  private closed(completed: boolean): void {
    const listener = this.listener;
    this.listener = null;
    listener?.closed(completed);
  }
}
