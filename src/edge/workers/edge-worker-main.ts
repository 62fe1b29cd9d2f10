// Entry point of an edge worker process (started by the edge supervisor through Berth's spawn
// helper, with an IPC channel). Berth going away, however it went, ends the worker.
import type { FromWorker, ToWorker } from './worker-messages.js';
import { runEdgeWorker } from './edge-worker.js';

if (typeof process.send !== 'function') {
  process.stderr.write('edge worker: start me through Berth (no IPC channel)\n');
  process.exit(2);
}

process.on('disconnect', () => process.exit(0));
// A terminal's Ctrl-C reaches the whole process group; Berth itself drains and closes the workers.
process.on('SIGINT', () => {});

runEdgeWorker({
  send: (message: FromWorker) => {
    if (process.connected) process.send?.(message);
  },
  onMessage: (listener) =>
    process.on('message', (message, handle) => listener(message as ToWorker, (handle ?? undefined) as object | undefined)),
  exit: (code) => process.exit(code),
});
