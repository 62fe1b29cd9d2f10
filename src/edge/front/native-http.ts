// Node's own native HTTP/1 parser (llhttp, the one behind node:http) and its stream write
// requests, used directly by the edge on both sides: measured on bench/edge, node:http's
// request/response streams cost the edge more CPU per request than everything else it does.
import { createRequire } from 'node:module';

/** The binding's parser object; callbacks are assigned to numbered slots. */
export interface NativeParser {
  initialize(type: number, resource: object, maxHeaderSize: number, lenient: number): void;
  execute(data: Buffer): number | Error;
  finish(): number | Error | undefined;
  /** Reads the stream handle natively: no JS `data` event per read. */
  consume(handle: object): void;
  unconsume(): void;
  /** In a kOnExecute callback: the buffer just parsed. */
  getCurrentBuffer(): Buffer;
  close(): void;
  [slot: number]: unknown;
}

interface NativeParserClass {
  new (): NativeParser;
  REQUEST: number;
  RESPONSE: number;
  kOnHeaders: number;
  kOnHeadersComplete: number;
  kOnBody: number;
  kOnMessageComplete: number;
  kOnExecute: number;
}

const require = createRequire(import.meta.url);
const common = require('_http_common') as { HTTPParser: NativeParserClass; methods: string[] };

export const HTTPParser = common.HTTPParser;
/** Method names by the index llhttp reports. */
export const httpMethods: readonly string[] = common.methods;

/** A libuv stream handle (TCP, or TLS on top of one) as node:net holds it. */
export interface StreamHandle {
  writeLatin1String(req: WriteRequest, data: string): number;
  writeBuffer(req: WriteRequest, data: Buffer): number;
  writev(req: WriteRequest, chunks: (Buffer | string)[], allBuffers: boolean): number;
  readStart(): number;
  readStop(): number;
  reading?: boolean;
}

/** One write; `oncomplete` runs only when the write did not finish at once. */
export interface WriteRequest {
  handle: StreamHandle;
  oncomplete: (status: number) => void;
  async: boolean;
  /** Keeps what is being written alive until it is written. */
  data: unknown;
}

interface StreamWrapBinding {
  WriteWrap: new () => WriteRequest;
  streamBaseState: Int32Array;
  kLastWriteWasAsync: number;
}

const streamWrap = (process as unknown as { binding(name: string): unknown }).binding('stream_wrap') as StreamWrapBinding;

export const WriteWrap = streamWrap.WriteWrap;

/** True when the write just issued is still in progress (its oncomplete will run). */
export function lastWriteWasAsync(): boolean {
  return streamWrap.streamBaseState[streamWrap.kLastWriteWasAsync] !== 0;
}
