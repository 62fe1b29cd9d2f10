// What Berth's edge supervisor and its worker processes say to each other over the IPC
// channel (structured clone: Maps and Dates arrive as such). Listening sockets travel as
// handles beside `listen` messages.
import type { EdgeStatsSnapshot, RouteTable } from '../../core/ports/route-table.js';
import type { DataPlaneOptions } from '../data-plane.js';
import type { TlsMaterial } from '../tls/certificate-book.js';

/** The data-plane settings a worker starts with (functions stay in the supervisor). */
export type WorkerSettings = Omit<DataPlaneOptions, 'resolveKey' | 'logger' | 'now'>;

export type ToWorker =
  | { t: 'init'; settings: WorkerSettings }
  | { t: 'listen'; kind: 'http' | 'tls'; publicPort: number }
  | { t: 'routes'; table: RouteTable }
  | { t: 'tls'; material: TlsMaterial }
  | { t: 'challenges'; seq: number; answers: Map<string, string> }
  | { t: 'key'; id: number; workspaceId: string | null; failed: boolean }
  | { t: 'stats'; id: number }
  | { t: 'idle'; id: number }
  /** How many requests it has in flight to any instance. */
  | { t: 'in-flight'; id: number }
  /** Close the listening sockets and idle connections; requests in flight go on. */
  | { t: 'stop-accepting' }
  | { t: 'close' };

export type FromWorker =
  | { t: 'listening'; kind: 'http' | 'tls' }
  /** Its copies of the listening sockets are closed. */
  | { t: 'stopped-accepting' }
  | { t: 'challenges-applied'; seq: number }
  | { t: 'key'; id: number; key: string }
  | { t: 'stats'; id: number; snapshot: EdgeStatsSnapshot }
  /** Milliseconds since each app last saw traffic in this worker (0: a tunnel is open). */
  | { t: 'idle'; id: number; idle: Map<string, number> }
  | { t: 'in-flight'; id: number; count: number }
  /** A table is being served; `busy`: requests still in flight to origins it no longer routes to. */
  | { t: 'applied'; version: number; busy: Map<string, number> }
  /** The in-flight count of an origin that left the table changed. */
  | { t: 'drain'; origin: string; count: number }
  | { t: 'log'; level: 'info' | 'warn' | 'error'; fields: Record<string, unknown>; message: string };
