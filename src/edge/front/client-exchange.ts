// What the edge's request path needs from one client request, whichever protocol carried it
// (HTTP/1.1 over TCP or TLS, HTTP/2): the request's facts, its body, and a response to write.

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

/** The facts from raw name/value pairs, in one pass (one object shape, a switch: no hashing per header). */
export function requestFacts(raw: readonly string[]): RequestFacts {
  const facts: RequestFacts = {
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
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] ?? '';
    // Every wanted name is 4 to 17 characters long: most headers are skipped without lower-casing.
    if (name.length < 4 || name.length > 17) continue;
    const value = raw[i + 1] ?? '';
    switch (name.toLowerCase()) {
      case 'host':
        facts.host ??= value;
        break;
      case 'accept':
        facts.accept ??= value;
        break;
      case 'cookie':
        facts.cookie = facts.cookie === undefined ? value : `${facts.cookie}; ${value}`;
        break;
      case 'authorization':
        facts.authorization ??= value;
        break;
      case 'x-api-key':
        facts['x-api-key'] ??= value;
        break;
      case 'connection':
        facts.connection ??= value;
        break;
      case 'upgrade':
        facts.upgrade ??= value;
        break;
      case 'content-length':
        facts['content-length'] ??= value;
        break;
      case 'transfer-encoding':
        facts['transfer-encoding'] ??= value;
        break;
      case 'expect':
        facts.expect ??= value;
        break;
      default:
        break;
    }
  }
  return facts;
}

/** Whether a request with these facts carries a body. */
export function factsHaveBody(facts: RequestFacts): boolean {
  const length = facts['content-length'];
  return facts['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}
