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

interface Reply {
  hex?: string | null;
  files?: number;
  bytes?: number;
}

interface Pending {
  resolve(reply: Reply): void;
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
  created.on('message', (message: { id: number; error?: string } & Reply) => {
    const waiting = pending.get(message.id);
    pending.delete(message.id);
    if (message.error !== undefined) waiting?.reject(new Error(`walking the tree failed: ${message.error}`));
    else waiting?.resolve(message);
    if (pending.size === 0) stopWhenIdle(created);
  });
  created.on('error', (error) => failAll(error));
  created.on('exit', () => failAll(new Error('the tree walking worker stopped')));
  worker = created;
  return created;
}

type Request =
  | { op: 'walk'; root: string; freeze: boolean; hash: boolean; keepListing: boolean }
  | { op: 'link'; root: string; from: string; to: string }
  | { op: 'forget'; root: string };

function ask(request: Request): Promise<Reply> {
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = null;
  const id = nextId++;
  const target = started();
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    target.postMessage({ id, ...request });
  });
}

export interface WalkOptions {
  /** Keep the entries listed for `linkCopyOf(root, …)` (which, or `forgetListing`, must follow). */
  keepListing?: boolean;
}

async function digestWalk(root: string, freeze: boolean, options: WalkOptions): Promise<TreeDigest> {
  const reply = await ask({ op: 'walk', root, freeze, hash: true, keepListing: options.keepListing === true });
  return { hex: reply.hex ?? '', files: reply.files ?? 0, bytes: reply.bytes ?? 0 };
}

/** sha256 over the tree's paths, modes, links and file contents; sockets and fifos in it are deleted. */
export function digestTree(root: string, options: WalkOptions = {}): Promise<TreeDigest> {
  return digestWalk(root, false, options);
}

/** The same, after making every entry root-owned and read-only for apps (an artifact). */
export function freezeAndDigestTree(root: string, options: WalkOptions = {}): Promise<TreeDigest> {
  return digestWalk(root, true, options);
}

/**
 * A copy at `to` (a path that does not exist yet) of hard links to the files of `from`, which holds
 * the tree `root` held when walked (`root` itself, or a stored tree of its digest), made from the
 * entries that walk kept (listed again when the worker has restarted since).
 */
export async function linkCopyOf(root: string, from: string, to: string): Promise<void> {
  await ask({ op: 'link', root, from, to });
}

/** Drops the entries a walk of `root` kept, when no copy follows. */
export async function forgetListing(root: string): Promise<void> {
  await ask({ op: 'forget', root });
}

/** Root-owned and read-only for apps, without hashing (a dependency cache). */
export async function freezeTree(root: string): Promise<void> {
  await ask({ op: 'walk', root, freeze: true, hash: false, keepListing: false });
}
