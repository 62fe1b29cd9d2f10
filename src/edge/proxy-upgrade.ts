// WebSocket (and any HTTP/1.1 Upgrade) pass-through: replays the handshake to the app, relays
// its 101 answer, then splices the two sockets together (tunnel.ts says until when). If the app
// declines the upgrade its answer is relayed as is and the connection closed.
import { request, type Agent, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Endpoint } from '../core/ports/route-table.js';
import { rawErrorResponse } from './error-pages.js';
import type { RequestFacts } from './front/client-exchange.js';
import { splice, type TunnelPolicy } from './tunnel.js';

export interface UpgradeInput {
  req: { readonly method: string; readonly headers: RequestFacts };
  socket: Duplex;
  head: Buffer;
  endpoint: Endpoint;
  path: string;
  headers: string[];
}

export interface UpgradeDeps {
  /** A non-keep-alive agent: upgraded sockets never return to a pool. */
  agent: Agent;
  handshakeTimeoutMs: number;
  tunnel: TunnelPolicy;
  /** Open tunnels (counted in stats). */
  tunnels: Set<Duplex>;
  /** Called once with the status the client got (101 when tunnelled). */
  done(status: number, error: Error | null): void;
}

function statusLine(res: IncomingMessage): string {
  return `HTTP/1.1 ${res.statusCode ?? 502} ${res.statusMessage ?? ''}\r\n`;
}

function headerBlock(raw: readonly string[], skip: ReadonlySet<string>): string {
  let block = '';
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] ?? '';
    if (!skip.has(name.toLowerCase())) block += `${name}: ${raw[i + 1] ?? ''}\r\n`;
  }
  return block;
}

const keepAll = new Set<string>();
const framing = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length']);

export function proxyUpgrade(deps: UpgradeDeps, input: UpgradeInput): void {
  const { req, socket } = input;
  let settled = false;
  const settle = (status: number, error: Error | null): void => {
    if (settled) return;
    settled = true;
    deps.done(status, error);
  };

  const upstream = request({
    host: input.endpoint.host,
    port: input.endpoint.port,
    method: req.method,
    path: input.path,
    headers: input.headers,
    agent: deps.agent,
    setHost: false,
  });
  upstream.setTimeout(deps.handshakeTimeoutMs, () => upstream.destroy(new Error('upstream handshake timed out')));
  socket.on('error', () => upstream.destroy());
  socket.on('close', () => upstream.destroy());

  upstream.on('error', (error) => {
    if (settled) return;
    const timedOut = error.message === 'upstream handshake timed out';
    if (socket.writable) socket.end(rawErrorResponse(req, timedOut ? 'gateway_timeout' : 'bad_gateway'));
    settle(timedOut ? 504 : 502, error);
  });

  upstream.on('upgrade', (upstreamRes, upstreamSocket, upstreamHead) => {
    upstream.setTimeout(0);
    upstreamSocket.setNoDelay(true);
    if (!socket.writable) {
      upstreamSocket.destroy();
      return;
    }
    socket.write(`${statusLine(upstreamRes)}${headerBlock(upstreamRes.rawHeaders, keepAll)}\r\n`);
    if (upstreamHead.length > 0) socket.write(upstreamHead);
    if (input.head.length > 0) upstreamSocket.write(input.head);
    deps.tunnels.add(socket);
    splice(socket, upstreamSocket, deps.tunnel, () => deps.tunnels.delete(socket));
    settle(101, null);
  });

  upstream.on('response', (upstreamRes) => {
    // The app declined the upgrade: relay its answer, delimited by closing the connection.
    socket.write(`${statusLine(upstreamRes)}${headerBlock(upstreamRes.rawHeaders, framing)}connection: close\r\n\r\n`);
    upstreamRes.pipe(socket);
    settle(upstreamRes.statusCode ?? 502, null);
  });

  upstream.end();
}
