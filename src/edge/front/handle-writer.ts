// Writes straight to a socket's stream handle (TCP, or TLS on top of one), skipping node:net's
// Writable machinery: at most one write in progress (TLS handles allow no more), later data
// queued and sent as one writev when it completes. The socket's own end() and destroy() still
// apply; end() waits for what is queued here.
import type { Socket } from 'node:net';
import { keepChunk } from './lent-chunks.js';
import { lastWriteWasAsync, WriteWrap, type StreamHandle, type WriteRequest } from './native-http.js';

/** Past this many bytes waiting, write() asks the caller to wait for the drain listener. */
const highWaterMark = 64 * 1024;

export type WriteData = string | Buffer | readonly (string | Buffer)[];

/** What a write still in progress (or queued) holds past the call: lent chunks must not be reused. */
function keep(data: WriteData): void {
  if (typeof data === 'string') return;
  if (Buffer.isBuffer(data)) keepChunk(data);
  else for (const part of data) if (typeof part !== 'string') keepChunk(part);
}

function sizeOf(data: WriteData): number {
  if (typeof data === 'string' || Buffer.isBuffer(data)) return data.length;
  let total = 0;
  for (const part of data) total += part.length;
  return total;
}

export class HandleWriter {
  /** Bytes of the write in progress plus those queued behind it. */
  private waiting = 0;
  private inProgress = false;
  private queue: (string | Buffer)[] = [];
  private needDrain = false;
  private ending = false;
  private failed = false;
  onDrain: (() => void) | null = null;
  private readonly completed = (status: number): void => this.afterWrite(status);
  /** A write request no write holds: one that finished at once is reused (the native side kept nothing of it). */
  private spare: WriteRequest | null = null;

  constructor(private readonly socket: Socket) {}

  /** Strings are written as latin1 (HTTP heads and framing). False: wait for onDrain. */
  write(data: WriteData): boolean {
    if (this.failed || this.ending) return false;
    if (this.inProgress) {
      keep(data);
      if (typeof data === 'string' || Buffer.isBuffer(data)) this.queue.push(data);
      else for (const part of data) this.queue.push(part);
      this.waiting += sizeOf(data);
    } else {
      this.dispatch(data);
    }
    if (this.waiting < highWaterMark) return true;
    this.needDrain = true;
    return false;
  }

  /** Queues every write until release() (a socket still connecting). */
  hold(): void {
    this.inProgress = true;
  }

  release(): void {
    if (this.inProgress) this.afterWrite(0);
  }

  /** Shuts the write side once everything queued is written. */
  end(): void {
    if (this.ending) return;
    this.ending = true;
    if (!this.inProgress && !this.failed) this.socket.end();
  }

  get idle(): boolean {
    return !this.inProgress;
  }

  private dispatch(data: WriteData): void {
    const handle = (this.socket as unknown as { _handle: StreamHandle | null })._handle;
    if (handle === null || this.socket.destroyed) {
      this.fail();
      return;
    }
    let req = this.spare;
    if (req === null || req.handle !== handle) {
      req = new WriteWrap();
      req.handle = handle;
      req.oncomplete = this.completed;
      req.async = false;
      req.data = null;
    }
    this.spare = null;
    let error: number;
    if (typeof data === 'string') error = handle.writeLatin1String(req, data);
    else if (Buffer.isBuffer(data)) error = handle.writeBuffer(req, data);
    else {
      const chunks: (string | Buffer)[] = [];
      for (const part of data) chunks.push(part, typeof part === 'string' ? 'latin1' : 'buffer');
      error = handle.writev(req, chunks, false);
    }
    if (error !== 0) {
      this.fail();
      return;
    }
    if (lastWriteWasAsync()) {
      keep(data);
      req.data = data;
      this.inProgress = true;
      this.waiting = sizeOf(data);
    } else {
      this.spare = req;
    }
  }

  private afterWrite(status: number): void {
    this.inProgress = false;
    this.waiting = 0;
    if (status < 0 || this.socket.destroyed) {
      this.fail();
      return;
    }
    if (this.queue.length > 0) {
      const next = this.queue;
      this.queue = [];
      this.dispatch(next.length === 1 ? (next[0] as string | Buffer) : next);
      if (this.inProgress) return;
    }
    if (this.ending) {
      this.socket.end();
      return;
    }
    if (this.needDrain) {
      this.needDrain = false;
      this.onDrain?.();
    }
  }

  private fail(): void {
    if (this.failed) return;
    this.failed = true;
    this.queue = [];
    this.socket.destroy();
  }
}
