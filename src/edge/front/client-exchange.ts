// What the edge's request path needs from one client request, whichever protocol carried it
// (HTTP/1.1 over TCP or TLS, HTTP/2): the request's facts, its body, and a response to write.
import {
  acceptHeader,
  apiKeyHeader,
  authorizationHeader,
  connectionHeader,
  contentLengthHeader,
  cookieHeader,
  expectHeader,
  headerKind,
  hostHeader,
  otherHeader,
  transferEncodingHeader,
  upgradeHeader,
} from '../header-names.js';

/** The request headers the edge itself reads (first value of each; cookies joined with `; `). */
export interface RequestFacts {
  host?: string;
  accept?: string;
  cookie?: string;
  authorization?: string;
  'x-api-key'?: string;
  connection?: string;
  upgrade?: string;
  'content-length'?: string;
  'transfer-encoding'?: string;
  expect?: string;
}

/** Where a request body goes; `data` returning false pauses the client until `resumeBody()`. */
export interface BodyReceiver {
  data(chunk: Buffer): boolean;
  end(): void;
}

export interface ClientExchange {
  readonly method: string;
  /** Request target as sent (origin form). */
  readonly url: string;
  /** Name/value pairs as received (HTTP/2: without pseudo-headers, `:authority` as `host`). */
  readonly rawHeaders: readonly string[];
  readonly headers: RequestFacts;
  readonly remoteAddress: string;
  /** The client reached the edge over TLS. */
  readonly secure: boolean;
  readonly hasBody: boolean;
  /** Streams the body (what arrived so far first); call once. */
  readBody(receiver: BodyReceiver): void;
  resumeBody(): void;

  readonly headersSent: boolean;
  readonly statusCode: number;
  /** The response head; `headers` are name/value pairs without hop-by-hop headers. */
  writeHead(statusCode: number, headers: readonly string[]): void;
  /**
   * The response head from header lines ready to send (each ending in CRLF, no hop-by-hop ones), when
   * this exchange can send them as they are (HTTP/1.x); absent: use writeHead.
   */
  writeHeadLines?(statusCode: number, lines: string, hasLength: boolean, hasDate: boolean): void;
  /** False: wait for the drain listener before writing more. */
  write(chunk: Buffer): boolean;
  end(body?: Buffer): void;
  /** Cuts the exchange off (the client sees its connection or stream reset). */
  destroy(): void;
  /** One listener per exchange (an object, not closures: one less allocation per request). */
  listen(listener: ExchangeListener): void;
}

export interface ExchangeListener {
  /** Called once, when the response is complete (`true`) or the client went away first (`false`). */
  closed(completed: boolean): void;
  /** The client took what was written; write more. */
  drained(): void;
}

/** Facts with nothing known yet (one object shape for every request). */
function emptyFacts(): RequestFacts {
  return {
    host: undefined,
    accept: undefined,
    cookie: undefined,
    authorization: undefined,
    'x-api-key': undefined,
    connection: undefined,
    upgrade: undefined,
    'content-length': undefined,
    'transfer-encoding': undefined,
    expect: undefined,
  };
}

/** Records one header in `facts` if the edge reads it (`kind`: its headerKind). */
function noteFact(facts: RequestFacts, kind: number, value: string): void {
  switch (kind) {
    case hostHeader:
      facts.host ??= value;
      break;
    case acceptHeader:
      facts.accept ??= value;
      break;
    case cookieHeader:
      facts.cookie = facts.cookie === undefined ? value : `${facts.cookie}; ${value}`;
      break;
    case authorizationHeader:
      facts.authorization ??= value;
      break;
    case apiKeyHeader:
      facts['x-api-key'] ??= value;
      break;
    case connectionHeader:
      facts.connection ??= value;
      break;
    case upgradeHeader:
      facts.upgrade ??= value;
      break;
    case contentLengthHeader:
      facts['content-length'] ??= value;
      break;
    case transferEncodingHeader:
      facts['transfer-encoding'] ??= value;
      break;
    case expectHeader:
      facts.expect ??= value;
      break;
    default:
      break;
  }
}

/** The facts from raw name/value pairs, in one pass. */
export function requestFacts(raw: readonly string[]): RequestFacts {
  const facts = emptyFacts();
  for (let i = 0; i < raw.length; i += 2) {
    const kind = headerKind(raw[i] ?? '');
    if (kind !== otherHeader) noteFact(facts, kind, raw[i + 1] ?? '');
  }
  return facts;
}

/** Whether a request with these facts carries a body. */
export function factsHaveBody(facts: RequestFacts): boolean {
  const length = facts['content-length'];
  return facts['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}
