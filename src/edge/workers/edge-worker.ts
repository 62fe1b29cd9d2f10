// An edge worker process: one data plane on the listening sockets the supervisor sends, fed
// route tables, certificates and challenge answers over IPC, asking the supervisor for API
// keys and answering its requests for counters. It exits when Berth goes away.
import type { EdgeStatsSnapshot } from '../../core/ports/route-table.js';
import { createDataPlane, type DataPlane } from '../data-plane.js';
import type { EdgeLogger } from '../edge-context.js';
import type { FromWorker, ToWorker } from './worker-messages.js';

/** The worker's side of the IPC channel (the process object in a real worker). */
export interface ParentChannel {
  send(message: FromWorker): void;
  onMessage(listener: (message: ToWorker, handle: object | undefined) => void): void;
  exit(code: number): void;
}

const keyTimeoutMs = 10_000;

export function runEdgeWorker(parent: ParentChannel): void {
  let plane: DataPlane | null = null;
  let nextKeyId = 1;
  const pendingKeys = new Map<number, { resolve: (id: string | null) => void; reject: (e: Error) => void }>();

  const logger: EdgeLogger = {
    info: (fields, message) => parent.send({ t: 'log', level: 'info', fields: plainFields(fields), message }),
    warn: (fields, message) => parent.send({ t: 'log', level: 'warn', fields: plainFields(fields), message }),
    error: (fields, message) => parent.send({ t: 'log', level: 'error', fields: plainFields(fields), message }),
  };

  function resolveKey(key: string): Promise<string | null> {
    const id = nextKeyId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        pendingKeys.delete(id);
        reject(new Error('Berth did not answer a key lookup in time'));
      }, keyTimeoutMs);
      pendingKeys.set(id, {
        resolve: (workspaceId) => {
          clearTimeout(timer);
          resolve(workspaceId);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      parent.send({ t: 'key', id, key });
    });
  }

  function required(): DataPlane {
    if (plane === null) throw new Error('edge worker: a message arrived before init');
    return plane;
  }

  parent.onMessage((message, handle) => {
    switch (message.t) {
      case 'init':
        plane = createDataPlane({ ...message.settings, resolveKey, logger });
        plane.onDrainProgress((origin, count) => parent.send({ t: 'drain', origin, count }));
        return;
      case 'listen': {
        if (handle === undefined) return;
        const target = { handle };
        const listening =
          message.kind === 'http' ? required().listenHttp(target) : required().listenTls(target, message.publicPort);
        void listening.then(
          () => parent.send({ t: 'listening', kind: message.kind }),
          (error: unknown) => {
            logger.error({ err: String(error), kind: message.kind }, 'edge worker could not listen');
            parent.exit(1);
          },
        );
        return;
      }
      case 'routes': {
        const busy = required().setRoutes(message.table);
        parent.send({ t: 'applied', version: message.table.version, busy });
        return;
      }
      case 'tls':
        required().setTls(message.material);
        return;
      case 'challenges':
        required().setChallenges(message.answers);
        parent.send({ t: 'challenges-applied', seq: message.seq });
        return;
      case 'key': {
        const pending = pendingKeys.get(message.id);
        pendingKeys.delete(message.id);
        if (message.failed) pending?.reject(new Error('Berth could not resolve the key'));
        else pending?.resolve(message.workspaceId);
        return;
      }
      case 'stats': {
        const snapshot: EdgeStatsSnapshot = required().stats();
        parent.send({ t: 'stats', id: message.id, snapshot });
        return;
      }
      case 'idle':
        parent.send({ t: 'idle', id: message.id, idle: required().idleTimes() });
        return;
      case 'in-flight':
        parent.send({ t: 'in-flight', id: message.id, count: plane?.requestsInFlight() ?? 0 });
        return;
      case 'stop-accepting':
        void (plane?.stopAccepting() ?? Promise.resolve()).then(() => parent.send({ t: 'stopped-accepting' }));
        return;
      case 'close':
        void (plane?.close() ?? Promise.resolve()).finally(() => parent.exit(0));
        return;
    }
  });
}

/** Log fields as plain data: errors become their messages (they cross a process boundary). */
function plainFields(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) out[name] = value instanceof Error ? value.message : value;
  return out;
}
