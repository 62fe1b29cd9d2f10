// Body chunks from the edge's upstream connections are views of a connection's reusable read
// buffer, valid only until its next read. Whatever still holds one after the call that gave it
// (a write in progress or queued, an HTTP/2 stream's buffer) says so with keepChunk(), and that
// connection reads into a new buffer from then on: no copy, and no allocation per read otherwise.

/** A connection lending views of its read buffer. */
export interface ChunkLender {
  readonly readBuffer: Buffer;
  /** Set when a view of readBuffer outlives the read: the next read needs a new buffer. */
  readKept: boolean;
}

let lender: ChunkLender | null = null;

/** While a read is being handed on: `lender`; after it: null. */
export function lending(reader: ChunkLender | null): void {
  lender = reader;
}

/** `chunk` is kept past the current call. */
export function keepChunk(chunk: Buffer): void {
  if (lender !== null && chunk.buffer === lender.readBuffer.buffer) lender.readKept = true;
}
