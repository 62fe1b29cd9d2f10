// The builder's walks over trees (freeze, hash, hard-linked copy) run in a worker thread
// (tree-digest-worker.mjs, copied next to the bundle like the static server): a synchronous walk
// there is several times faster than async fs calls here, needs no chown/chmod/cp processes, and
// Berth's event loop (API, edge) never waits on it. One worker, started on first use and stopped
// after a minute without work.
import { Worker } from 'node:worker_threads';

export interface TreeDigest {
  hex: string;
  files: number;
  bytes: number;
}

interface Pending {
  resolve(digest: TreeDigest & { linkedFromStore: boolean }): void;
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
  created.on('message', (message: { id: number; error?: string; linkedFromStore?: boolean } & TreeDigest) => {
    const waiting = pending.get(message.id);
    pending.delete(message.id);
    if (message.error !== undefined) waiting?.reject(new Error(`walking the tree failed: ${message.error}`));
    else waiting?.resolve({ hex: message.hex, files: message.files, bytes: message.bytes, linkedFromStore: message.linkedFromStore === true });
    if (pending.size === 0) stopWhenIdle(created);
  });
  created.on('error', (error) => failAll(error));
  created.on('exit', () => failAll(new Error('the tree walking worker stopped')));
  worker = created;
  return created;
}

/** Where the walk leaves a hard-linked copy of the tree (a path that does not exist yet). */
export interface CopyRequest {
  to: string;
  /** A store of trees by digest: when it holds this tree's, the copy links to that one instead. */
  storeDir: string;
}

interface WalkRequest {
  freeze: boolean;
  hash: boolean;
  copy?: CopyRequest;
}

function walkTree(root: string, request: WalkRequest): Promise<TreeDigest & { linkedFromStore: boolean }> {
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = null;
  const id = nextId++;
  const target = started();
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    target.postMessage({ id, root, freeze: request.freeze, hash: request.hash, linkTo: request.copy?.to, storeDir: request.copy?.storeDir });
  });
}

/**
 * sha256 over the tree's paths, modes, links and file contents; sockets and fifos in it are
 * deleted. With `copy`, the worker then builds a copy of hard links from the entries it listed.
 */
export function digestTree(root: string, copy?: CopyRequest): Promise<TreeDigest & { linkedFromStore: boolean }> {
  return walkTree(root, { freeze: false, hash: true, copy });
}

/** The same, after making every entry root-owned and read-only for apps (an artifact). */
export function freezeAndDigestTree(root: string, copy?: CopyRequest): Promise<TreeDigest & { linkedFromStore: boolean }> {
  return walkTree(root, { freeze: true, hash: true, copy });
}

/** Root-owned and read-only for apps, without hashing (a dependency cache). */
export async function freezeTree(root: string): Promise<void> {
  await walkTree(root, { freeze: true, hash: false });
}
