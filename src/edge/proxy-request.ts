// Forwards one HTTP request to an app instance over the edge's keep-alive connections and
// streams the response back with backpressure (no buffering either way). A bodiless request
// whose connection failed before any answer is tried once more (idempotent ones also after a
// reused connection broke).
import { performance } from 'node:perf_hooks';
import { nextEndpoint, type CompiledTarget, type UpstreamEndpoint } from './compiled-table.js';
import type { TrafficCounters } from './edge-stats.js';
import { sendErrorPage } from './error-pages.js';
import { downstreamResponseHeaders } from './forward-headers.js';
import type { ClientExchange, ExchangeListener } from './front/client-exchange.js';
import type { InFlight } from './in-flight.js';
import { affinityCookie } from './session-affinity.js';
import type { UpstreamCall, UpstreamHandler, UpstreamPool } from './upstream-pool.js';

export interface ProxyDeps {
  upstream: UpstreamPool;
  inFlight: InFlight;
  onUpstreamError(target: CompiledTarget, endpoint: UpstreamEndpoint, error: Error): void;
}

export interface ProxyInput {
  client: ClientExchange;
  target: CompiledTarget;
  endpoint: UpstreamEndpoint;
  /** Request target to forward (the share parameter already removed). */
  path: string;
  /** Already rewritten by forward-headers. */
  headers: string[];
  /** The app's total counters; the exchange records itself there and in the target's when it closes. */
  appCounters: TrafficCounters;
  /** performance.now() when the request arrived. */
  start: number;
  /** For apps with session affinity: the token the request carried (the answer pins it to its endpoint otherwise). */
  affinity: { carried: string | null } | null;
}

/** Status recorded for a response the client abandoned before it began (nginx's convention). */
export const clientClosedStatus = 499;

/** Nothing reached the app: safe to try another endpoint for any bodiless request. */
const notConnected = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EDGE_CONNECT_TIMEOUT']);
/** The connection broke before an answer (typically a pooled connection the app had just closed). */
const brokenConnection = new Set(['ECONNRESET', 'EPIPE']);
const idempotent = new Set(['GET', 'HEAD', 'OPTIONS']);
const timeouts = new Set(['EDGE_HEADERS_TIMEOUT', 'EDGE_BODY_TIMEOUT', 'EDGE_CONNECT_TIMEOUT']);

function codeOf(error: Error): string {
  return (error as NodeJS.ErrnoException).code ?? '';
}

/** One proxied exchange; it is its own upstream handler, so a request costs one object, not a closure per event. */
class Exchange implements UpstreamHandler, ExchangeListener {
  private call: UpstreamCall | null = null;
  private endpoint: UpstreamEndpoint;
  private attempts = 0;
  private clientGone = false;
  private readonly withBody: boolean;

  constructor(
    private readonly deps: ProxyDeps,
    private readonly input: ProxyInput,
  ) {
    this.endpoint = input.endpoint;
    this.withBody = input.client.hasBody;
  }

  send(endpoint: UpstreamEndpoint): void {
    if (this.attempts > 0) this.deps.inFlight.done(this.endpoint.origin);
    this.attempts++;
    this.endpoint = endpoint;
    this.deps.inFlight.add(endpoint.origin);
    const { client, path, headers } = this.input;
    this.call = this.deps.upstream.request(
      endpoint,
      { method: client.method, head: { path, headers }, body: this.withBody ? client : null },
      this,
    );
  }

  onHead(statusCode: number, rawHeaders: string[], lines: string | null, hasLength: boolean, hasDate: boolean): void {
    if (this.clientGone) {
      this.call?.abort(this);
      return;
    }
    const client = this.input.client;
    const { affinity } = this.input;
    const pin = affinity !== null && affinity.carried !== this.endpoint.affinityToken ? affinityCookie(this.endpoint, client.secure) : null;
    if (lines !== null && client.writeHeadLines !== undefined) client.writeHeadLines(statusCode, pin === null ? lines : `${lines}set-cookie: ${pin}\r\n`, hasLength, hasDate);
    else client.writeHead(statusCode, pin === null ? downstreamResponseHeaders(rawHeaders) : [...downstreamResponseHeaders(rawHeaders), 'set-cookie', pin]);
  }

  onData(chunk: Buffer): boolean {
    return this.input.client.write(chunk);
  }

  onEnd(last?: Buffer): void {
    this.input.client.end(last);
  }

  onError(error: Error, responded: boolean): void {
    const { client, target } = this.input;
    if (this.clientGone) return;
    if (responded || client.headersSent) {
      client.destroy();
      return;
    }
    if (this.mayRetry(error)) {
      const next = nextEndpoint(target);
      if (next !== null) {
        this.send(next);
        return;
      }
    }
    this.deps.onUpstreamError(target, this.endpoint, error);
    sendErrorPage(client, timeouts.has(codeOf(error)) ? 'gateway_timeout' : 'bad_gateway');
  }

  private mayRetry(error: Error): boolean {
    if (this.withBody || this.attempts >= 2) return false;
    const code = codeOf(error);
    return notConnected.has(code) || (brokenConnection.has(code) && idempotent.has(this.input.client.method));
  }

  /** The response closed: count it; if it did not finish, the client went away and the app request is dropped. */
  closed(completed: boolean): void {
    const { client, appCounters, target, start } = this.input;
    const status = client.headersSent ? client.statusCode : clientClosedStatus;
    const ms = performance.now() - start;
    appCounters.record(status, ms);
    target.counters.record(status, ms);
    this.deps.inFlight.done(this.endpoint.origin);
    if (completed) return;
    this.clientGone = true;
    this.call?.abort(this);
  }

  drained(): void {
    this.call?.resume(this);
  }
}

/** Proxies a request to an endpoint of its target; answers 502/504 itself when the app fails. */
export function proxyRequest(deps: ProxyDeps, input: ProxyInput): void {
  const exchange = new Exchange(deps, input);
  input.client.listen(exchange);
  exchange.send(input.endpoint);
}
