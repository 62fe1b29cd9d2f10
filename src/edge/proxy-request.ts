// Forwards one HTTP request to an app instance over the edge's keep-alive connections and
// streams the response back with backpressure (no buffering either way). A bodiless request
// whose connection failed before any answer is tried once more (idempotent ones also after a
// reused connection broke).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { nextEndpoint, type CompiledTarget, type UpstreamEndpoint } from './compiled-table.js';
import type { TrafficCounters } from './edge-stats.js';
import { sendErrorPage } from './error-pages.js';
import { downstreamResponseHeaders } from './forward-headers.js';
import type { InFlight } from './in-flight.js';
import type { UpstreamCall, UpstreamHandler, UpstreamPool } from './upstream-pool.js';

export interface ProxyDeps {
  upstream: UpstreamPool;
  inFlight: InFlight;
  onUpstreamError(target: CompiledTarget, endpoint: UpstreamEndpoint, error: Error): void;
}

export interface ProxyInput {
  req: IncomingMessage;
  res: ServerResponse;
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

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** One proxied exchange; it is its own upstream handler, so a request costs one object, not a closure per event. */
class Exchange implements UpstreamHandler {
  private call: UpstreamCall | null = null;
  private endpoint: UpstreamEndpoint;
  private attempts = 0;
  private clientGone = false;
  private readonly withBody: boolean;
  private readonly onDrain = (): void => this.call?.resume();

  constructor(
    private readonly deps: ProxyDeps,
    private readonly input: ProxyInput,
  ) {
    this.endpoint = input.endpoint;
    this.withBody = hasBody(input.req);
  }

  send(endpoint: UpstreamEndpoint): void {
    if (this.attempts > 0) this.deps.inFlight.done(this.endpoint.origin);
    this.attempts++;
    this.endpoint = endpoint;
    this.deps.inFlight.add(endpoint.origin);
    const { req, path, headers } = this.input;
    this.call = this.deps.upstream.request(
      endpoint,
      { method: req.method ?? 'GET', head: { path, headers }, body: this.withBody ? req : null },
      this,
    );
  }

  onHead(statusCode: number, rawHeaders: string[]): void {
    const res = this.input.res;
    if (res.destroyed) {
      this.call?.abort();
      return;
    }
    res.writeHead(statusCode, downstreamResponseHeaders(rawHeaders));
  }

  onData(chunk: Buffer): boolean {
    const res = this.input.res;
    if (res.write(chunk)) return true;
    res.once('drain', this.onDrain);
    return false;
  }

  onEnd(): void {
    this.input.res.end();
  }

  onError(error: Error, responded: boolean): void {
    const { req, res, target } = this.input;
    if (this.clientGone) return;
    if (responded || res.headersSent || res.destroyed) {
      res.destroy();
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
    sendErrorPage(req, res, timeouts.has(codeOf(error)) ? 'gateway_timeout' : 'bad_gateway');
  }

  private mayRetry(error: Error): boolean {
    if (this.withBody || this.attempts >= 2) return false;
    const code = codeOf(error);
    return notConnected.has(code) || (brokenConnection.has(code) && idempotent.has(this.input.req.method ?? ''));
  }

  /** The response closed: count it; if it did not finish, the client went away and the app request is dropped. */
  closed(): void {
    const { res, appCounters, target, start } = this.input;
    const status = res.headersSent ? res.statusCode : clientClosedStatus;
    const ms = performance.now() - start;
    appCounters.record(status, ms);
    target.counters.record(status, ms);
    this.deps.inFlight.done(this.endpoint.origin);
    if (res.writableFinished) return;
    this.clientGone = true;
    this.call?.abort();
  }
}

/** Proxies a request to an endpoint of its target; answers 502/504 itself when the app fails. */
export function proxyRequest(deps: ProxyDeps, input: ProxyInput): void {
  const exchange = new Exchange(deps, input);
  input.res.on('close', () => exchange.closed());
  exchange.send(input.endpoint);
}
