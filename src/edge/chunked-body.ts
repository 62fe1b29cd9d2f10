// The chunked transfer coding (RFC 9112 §7.1) as the edge's HTTP/1 parsers read it, for requests
// from clients and responses from apps alike: chunk sizes, extensions (skipped), data handed on as
// ranges of the buffer being parsed, the last chunk and trailer fields (skipped). Strict: a bad
// size, a missing CRLF or a control character in a line is an error, never a guess.

export interface ParseError extends Error {
  code: string;
}

export function parseError(code: string, message: string): ParseError {
  return Object.assign(new Error(message), { code });
}

/** What the decoder reports. */
export interface ChunkSink {
  /** Chunk data: bytes `start` to `end` of `buffer` (valid during the call only). */
  chunkData(buffer: Buffer, start: number, end: number): void;
  /** The last chunk and the trailers have been read: the body is complete. */
  chunkedEnd(): void;
}

const enum State {
  Size,
  /** After `;` (or whitespace) in a chunk-size line, up to its CR. */
  Extension,
  /** The LF ending a chunk-size line. */
  SizeLf,
  Data,
  DataCr,
  DataLf,
  /** Trailer fields after the last chunk, up to an empty line; `lineLength` counts the current one. */
  Trailer,
  TrailerLf,
  /** The body is complete, or decoding was stopped. */
  Done,
}

const cr = 13;
const lf = 10;
/** Longest chunk size accepted: 13 hex digits stay below 2^53. */
const maxSizeDigits = 13;

function hexValue(byte: number): number {
  if (byte >= 48 && byte <= 57) return byte - 48;
  const lower = byte | 0x20;
  if (lower >= 97 && lower <= 102) return lower - 87;
  return -1;
}

function isControl(byte: number): boolean {
  return byte === lf || byte < 9 || (byte > 9 && byte < 32) || byte === 127;
}

export class ChunkedDecoder {
  private state = State.Done;
  private remaining = 0;
  private sizeDigits = 0;
  private lineLength = 0;
  private trailerBytes = 0;

  constructor(
    private readonly sink: ChunkSink,
    /** Longest chunk extension, and largest trailer section, accepted (bytes). */
    private readonly maxLineBytes: number,
    /** Words for error messages: `request` or `response`. */
    private readonly what: string,
  ) {}

  /** A chunked body starts. */
  begin(): void {
    this.state = State.Size;
    this.remaining = 0;
    this.sizeDigits = 0;
  }

  /** Decoding stops here (the sink gave up); execute() returns at once from now on. */
  stop(): void {
    this.state = State.Done;
  }

  get done(): boolean {
    return this.state === State.Done;
  }

  /** Decodes from `at`; returns where it stopped (`end`, or just past the body's end) or an error. */
  execute(buffer: Buffer, at: number, end: number): number | ParseError {
    while (at < end && this.state !== State.Done) {
      if (this.state === State.Data) {
        const take = Math.min(this.remaining, end - at);
        this.remaining -= take;
        if (this.remaining === 0) this.state = State.DataCr;
        this.sink.chunkData(buffer, at, at + take);
        at += take;
        continue;
      }
      const error = this.framing(buffer[at] as number);
      if (error !== null) {
        this.state = State.Done;
        return error;
      }
      at++;
    }
    return at;
  }

  /** One byte of framing (sizes, extensions, the CRLFs, trailers). */
  private framing(byte: number): ParseError | null {
    switch (this.state) {
      case State.Size: {
        const digit = hexValue(byte);
        if (digit >= 0) {
          if (++this.sizeDigits > maxSizeDigits) return parseError('HPE_INVALID_CHUNK_SIZE', 'chunk size too large');
          this.remaining = this.remaining * 16 + digit;
          return null;
        }
        if (this.sizeDigits === 0) return parseError('HPE_INVALID_CHUNK_SIZE', 'invalid chunk size');
        if (byte === cr) this.state = State.SizeLf;
        else if (byte === 59 /* ; */ || byte === 32 || byte === 9) {
          this.state = State.Extension;
          this.lineLength = 0;
        } else return parseError('HPE_INVALID_CHUNK_SIZE', 'invalid chunk size');
        return null;
      }
      case State.Extension:
        if (byte === cr) this.state = State.SizeLf;
        else if (isControl(byte)) return parseError('HPE_INVALID_CHUNK_SIZE', 'invalid chunk extension');
        else if (++this.lineLength > this.maxLineBytes) return parseError('HPE_CHUNK_EXTENSIONS_OVERFLOW', 'chunk extension too long');
        return null;
      case State.SizeLf:
        if (byte !== lf) return parseError('HPE_INVALID_CHUNK_SIZE', 'expected LF after the chunk size');
        this.sizeDigits = 0;
        if (this.remaining === 0) {
          this.state = State.Trailer;
          this.lineLength = 0;
          this.trailerBytes = 0;
        } else {
          this.state = State.Data;
        }
        return null;
      case State.DataCr:
        if (byte !== cr) return parseError('HPE_STRICT', 'expected CRLF after chunk data');
        this.state = State.DataLf;
        return null;
      case State.DataLf:
        if (byte !== lf) return parseError('HPE_STRICT', 'expected CRLF after chunk data');
        this.state = State.Size;
        this.remaining = 0;
        return null;
      case State.Trailer:
        if (++this.trailerBytes > this.maxLineBytes) return parseError('HPE_HEADER_OVERFLOW', `${this.what} trailers too large`);
        if (byte === cr) this.state = State.TrailerLf;
        else if (isControl(byte)) return parseError('HPE_INVALID_HEADER_TOKEN', `invalid character in the ${this.what} trailers`);
        else this.lineLength++;
        return null;
      case State.TrailerLf:
        if (byte !== lf) return parseError('HPE_STRICT', `expected LF in the ${this.what} trailers`);
        if (this.lineLength > 0) {
          this.state = State.Trailer;
          this.lineLength = 0;
          return null;
        }
        this.state = State.Done;
        this.sink.chunkedEnd();
        return null;
      default:
        return parseError('HPE_CLOSED', 'parsing stopped');
    }
  }
}
