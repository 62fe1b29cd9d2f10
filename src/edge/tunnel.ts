// A WebSocket (or other Upgrade) tunnel once the app has answered 101: bytes flow both ways
// until it closes. When one side ends its stream the end is passed on and the other side gets
// `halfOpenMs` to end too; no byte either way for `idleTimeoutMs` also closes it. Either way
// both sockets are destroyed, so a client that went away half-closed, or an app that never
// hangs up, cannot hold a tunnel (and the app's activity, edge-stats.ts) open forever.
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';

export interface TunnelPolicy {
  /** No byte in either direction for this long closes the tunnel. */
  idleTimeoutMs: number;
  /** After one side ends its stream, the other has this long to end too. */
  halfOpenMs: number;
}

/** Defaults: nginx's proxy_read_timeout (dev servers' hot-reload clients ping more often: Vite every 30 s). */
export const defaultTunnelPolicy: TunnelPolicy = Object.freeze({ idleTimeoutMs: 60_000, halfOpenMs: 5_000 });

/** Splices `client` and `app` together; `onClosed` runs once, when both are destroyed. */
export function splice(client: Duplex, app: Socket, policy: TunnelPolicy, onClosed: () => void): void {
  let closed = false;
  let linger: NodeJS.Timeout | null = null;
  const teardown = (): void => {
    if (closed) return;
    closed = true;
    if (linger !== null) clearTimeout(linger);
    client.destroy();
    app.destroy();
    onClosed();
  };
  // Once both sides have ended, the sockets close on their own; the timer is only a backstop.
  const ended = (): void => {
    linger ??= setTimeout(teardown, policy.halfOpenMs);
  };
  client.on('end', ended);
  app.on('end', ended);
  client.on('close', teardown);
  app.on('close', teardown);
  client.on('error', teardown);
  app.on('error', teardown);
  // A socket's timeout counts reads and writes: the app's side sees both directions.
  app.setTimeout(policy.idleTimeoutMs, teardown);
  client.pipe(app);
  app.pipe(client);
}
