// Hashes trees in a worker thread (tree-digest-worker.mjs, copied next to the bundle like the
// static server): a synchronous walk there is several times faster than async fs calls here,
// and Berth's event loop (API, edge) never waits on it. One worker, started on first use and
// stopped after a minute without work.
import { Worker } from 'node:worker_threads';

export interface TreeDigest {
  hex: string;
  files: number;
  bytes: number;
}

interface Pending {
  resolve(digest: TreeDigest): void;
  reject(error: Error): void;
}

const idleMs = 60_000;
let worker: Worker | null = null;
let idleTimer: NodeJS.Timeout | null = null;
let nextId = 0;
const pending = new Map<number, Pending>();

function failAll(error: Error): void {
  worker = null;
  for (const waiting of pending.values()) waiting.reject(error);
  pending.clear();
}

function stopWhenIdle(target: Worker): void {
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = setTimeout(() => void target.terminate(), idleMs).unref();
}

/** Starts the worker ahead of the first digest (a no-op when it runs). */
export function warmUpTreeDigest(): void {
  if (worker) return;
  stopWhenIdle(started());
}

function started(): Worker {
  if (worker) return worker;
  const created = new Worker(new URL('./tree-digest-worker.mjs', import.meta.url));
  created.unref();
  created.on('message', (message: { id: number; error?: string } & TreeDigest) => {
    const waiting = pending.get(message.id);
    pending.delete(message.id);
    if (message.error !== undefined) waiting?.reject(new Error(`hashing the tree failed: ${message.error}`));
    else waiting?.resolve({ hex: message.hex, files: message.files, bytes: message.bytes });
    if (pending.size === 0) stopWhenIdle(created);
  });
  created.on('error', (error) => failAll(error));
  created.on('exit', () => failAll(new Error('the tree hashing worker stopped')));
  worker = created;
  return created;
}

/** sha256 over the tree's paths, modes, links and file contents; sockets and fifos in it are deleted. */
export function digestTree(root: string): Promise<TreeDigest> {
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = null;
  const id = nextId++;
  const target = started();
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    target.postMessage({ id, root });
  });
}
