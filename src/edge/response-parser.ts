// A small HTTP/1.x response parser for the edge's upstream connections: the status line and
// headers, then a body framed by Content-Length, chunked transfer coding (extensions and trailers
// skipped) or the connection's end. It reads ranges of whatever buffer the socket filled, keeps
// nothing of it but a partial head, and hands body bytes on as ranges of that same buffer:
// no allocation and no call from C++ per read, unlike Node's native parser (upstream-connection.ts).
// Strict where framing is concerned (RFC 9112 §6): conflicting lengths, Content-Length with
// Transfer-Encoding, bad chunk sizes, bare CR or LF, obsolete line folding and oversized heads
// are errors, never guesses.

/** What the parser reports; it calls nothing else. */
export interface ResponseSink {
  /** A complete head (1xx included; the parser expects another head after those). */
  responseHead(statusCode: number, headers: string[], keepAlive: boolean): void;
  /** Body bytes `start` to `end` of `buffer` (valid during the call only); `last`: the body (of a known length) ends with them. */
  responseBody(buffer: Buffer, start: number, end: number, last: boolean): void;
  /** The response ended: after its head when it has no body, after a chunked body's last chunk and trailers, or (finish()) with the connection. */
  responseEnd(): void;
}

export interface ParseError extends Error {
  code: string;
}

function parseError(code: string, message: string): ParseError {
  return Object.assign(new Error(message), { code });
}

const enum State {
  Head,
  /** Content-Length: `remaining` bytes to come. */
  Counted,
  /** Until the connection ends. */
  UntilClose,
  ChunkSize,
  /** After `;` in a chunk-size line, up to its CR. */
  ChunkExtension,
  /** The LF ending a chunk-size line. */
  ChunkSizeLf,
  ChunkData,
  ChunkDataCr,
  ChunkDataLf,
  /** Trailer fields after the last chunk, up to an empty line; `lineLength` counts the current one. */
  Trailer,
  TrailerLf,
  /** An error happened: nothing more is parsed. */
  Failed,
}

const cr = 13;
const lf = 10;
/** Control characters other than HTAB, and DEL: never valid in a head (CR and LF only as CRLF). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const badHeadChar = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\r(?!\n)|(?<!\r)\n/;
const token = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const digits = /^[0-9]+$/;
/** Longest chunk size accepted: 13 hex digits stay below 2^53. */
const maxSizeDigits = 13;

function hexValue(byte: number): number {
  if (byte >= 48 && byte <= 57) return byte - 48;
  const lower = byte | 0x20;
  if (lower >= 97 && lower <= 102) return lower - 87;
  return -1;
}

export class ResponseParser {
  private state = State.Head;
  /** Bytes of a head (or of a trailer section) split across reads. */
  private partial: Buffer | null = null;
  private remaining = 0;
  private sizeDigits = 0;
  private lineLength = 0;
  private trailerBytes = 0;
  /** The next response answers a HEAD request: it has no body whatever its headers say. */
  bodiless = false;

  constructor(
    private readonly sink: ResponseSink,
    /** Largest head (status line, headers and the empty line) accepted, in bytes. */
    private readonly maxHeadBytes = 16 * 1024,
  ) {}

  /** Between responses: no partial head, no body under way. */
  get idle(): boolean {
    return this.state === State.Head && this.partial === null;
  }

  /** The body under way ends only with the connection. */
  get untilClose(): boolean {
    return this.state === State.UntilClose;
  }

  /** Parses bytes `start` to `end` of `buffer`; an error ends parsing for good. */
  execute(buffer: Buffer, start: number, end: number): ParseError | null {
    if (this.state === State.Failed) return null; // stopped, or failed already
    let at = start;
    while (at < end) {
      switch (this.state) {
        case State.Head: {
          const next = this.head(buffer, at, end);
          if (typeof next !== 'number') return this.fail(next);
          at = next;
          break;
        }
        case State.Counted: {
          const take = Math.min(this.remaining, end - at);
          this.remaining -= take;
          const last = this.remaining === 0;
          if (last) this.state = State.Head;
          this.sink.responseBody(buffer, at, at + take, last);
          at += take;
          break;
        }
        case State.UntilClose:
          this.sink.responseBody(buffer, at, end, false);
          return null;
        case State.ChunkData: {
          const take = Math.min(this.remaining, end - at);
          this.remaining -= take;
          if (this.remaining === 0) this.state = State.ChunkDataCr;
          this.sink.responseBody(buffer, at, at + take, false);
          at += take;
          break;
        }
        default: {
          const error = this.framing(buffer[at] as number);
          if (error !== null) return this.fail(error);
          at++;
        }
      }
      if ((this.state as State) === State.Failed) return null; // stopped by the sink
    }
    return null;
  }

  /** Parses nothing more (the sink gave up on the connection). */
  stop(): void {
    this.state = State.Failed;
    this.partial = null;
  }

  /** The connection ended: completes a body that ends with it; an error if a response was cut short. */
  finish(): ParseError | null {
    if (this.state === State.UntilClose) {
      this.state = State.Head;
      this.sink.responseEnd();
      return null;
    }
    if (this.idle || this.state === State.Failed) return null;
    return this.fail(parseError('HPE_INVALID_EOF_STATE', 'the connection ended in the middle of a response'));
  }

  private fail(error: ParseError): ParseError {
    this.state = State.Failed;
    this.partial = null;
    return error;
  }

  /** Finds the head's end in `buffer` from `at` (with any partial head before it); returns where its body starts. */
  private head(buffer: Buffer, at: number, end: number): number | ParseError {
    let source = buffer;
    let from = at;
    let partialLength = 0;
    const partial = this.partial;
    if (partial !== null) {
      // Rare (a head split across reads): join the pieces, looking back 3 bytes for a split CRLFCRLF.
      partialLength = partial.length;
      source = Buffer.concat([partial, buffer.subarray(at, Math.min(end, at + this.maxHeadBytes))]);
      from = 0;
    }
    const limit = partial !== null ? source.length : end;
    const found = source.indexOf('\r\n\r\n', Math.max(from, partialLength - 3), 'latin1');
    if (found < 0 || found + 4 > limit) {
      const have = limit - from;
      if (have >= this.maxHeadBytes) return parseError('HPE_HEADER_OVERFLOW', 'the response head is too large');
      // Leading CRLFs between responses are tolerated (RFC 9112 §2.2) only by the head's own check.
      this.partial = partial !== null ? source : Buffer.from(buffer.subarray(at, end));
      return end;
    }
    const headEnd = found + 4;
    if (headEnd - from > this.maxHeadBytes) return parseError('HPE_HEADER_OVERFLOW', 'the response head is too large');
    this.partial = null;
    const error = this.parseHead(source.toString('latin1', from, found));
    if (error !== null) return error;
    // Where the body starts in `buffer` (the bytes of the head that came from `partial` are not in it).
    return partial === null ? headEnd : at + (headEnd - partialLength);
  }

  private parseHead(text: string): ParseError | null {
    if (badHeadChar.test(text)) return parseError('HPE_INVALID_HEADER_TOKEN', 'invalid character in the response head');
    let lineEnd = text.indexOf('\r\n');
    if (lineEnd < 0) lineEnd = text.length;
    // HTTP/1.x SSS[ reason]
    if (
      lineEnd < 12 ||
      !text.startsWith('HTTP/1.') ||
      (text.charCodeAt(7) !== 48 && text.charCodeAt(7) !== 49) ||
      text.charCodeAt(8) !== 32 ||
      (lineEnd > 12 && text.charCodeAt(12) !== 32)
    )
      return parseError('HPE_INVALID_CONSTANT', 'invalid response status line');
    const status = text.slice(9, 12);
    if (!digits.test(status)) return parseError('HPE_INVALID_STATUS', 'invalid response status code');
    const statusCode = Number(status);
    if (statusCode < 100) return parseError('HPE_INVALID_STATUS', 'invalid response status code');
    const minor = text.charCodeAt(7) - 48;

    const headers: string[] = [];
    let length = -1;
    let chunked = false;
    let transferEncoding = false;
    let close = minor === 0;
    let at = lineEnd + 2;
    while (at < text.length) {
      let next = text.indexOf('\r\n', at);
      if (next < 0) next = text.length;
      const colon = text.indexOf(':', at);
      if (colon < 0 || colon > next) return parseError('HPE_INVALID_HEADER_TOKEN', 'invalid response header line');
      const name = text.slice(at, colon);
      if (!token.test(name)) return parseError('HPE_INVALID_HEADER_TOKEN', 'invalid response header name');
      let valueStart = colon + 1;
      let valueEnd = next;
      while (valueStart < valueEnd && (text.charCodeAt(valueStart) === 32 || text.charCodeAt(valueStart) === 9)) valueStart++;
      while (valueEnd > valueStart && (text.charCodeAt(valueEnd - 1) === 32 || text.charCodeAt(valueEnd - 1) === 9)) valueEnd--;
      const value = text.slice(valueStart, valueEnd);
      headers.push(name, value);
      at = next + 2;
      const size = name.length;
      if (size !== 14 && size !== 17 && size !== 10) continue;
      const lower = name.toLowerCase();
      if (lower === 'content-length') {
        if (!digits.test(value) || value.length > 15) return parseError('HPE_INVALID_CONTENT_LENGTH', 'invalid Content-Length in the response');
        const n = Number(value);
        if (length >= 0 && n !== length) return parseError('HPE_UNEXPECTED_CONTENT_LENGTH', 'conflicting Content-Length values in the response');
        length = n;
      } else if (lower === 'transfer-encoding') {
        transferEncoding = true;
        // Only a final `chunked` coding frames the body; any other ends with the connection.
        const codings = value.toLowerCase().split(',');
        chunked = codings[codings.length - 1]?.trim() === 'chunked';
      } else if (lower === 'connection') {
        const tokens = value.toLowerCase();
        if (/(?:^|[\s,])close(?:$|[\s,])/.test(tokens)) close = true;
        else if (minor === 0 && /(?:^|[\s,])keep-alive(?:$|[\s,])/.test(tokens)) close = false;
      }
    }
    if (transferEncoding && length >= 0) return parseError('HPE_UNEXPECTED_CONTENT_LENGTH', 'Content-Length together with Transfer-Encoding in the response');

    if (statusCode < 200) {
      this.sink.responseHead(statusCode, headers, true);
      return null; // no body; the final response follows
    }
    const bodiless = this.bodiless || statusCode === 204 || statusCode === 304;
    this.bodiless = false;
    if (bodiless || length === 0) {
      this.sink.responseHead(statusCode, headers, !close);
      if (this.state === State.Head) this.sink.responseEnd();
      return null;
    }
    if (chunked) {
      this.state = State.ChunkSize;
      this.sizeDigits = 0;
      this.remaining = 0;
    } else if (length > 0) {
      this.state = State.Counted;
      this.remaining = length;
    } else {
      this.state = State.UntilClose;
      close = true;
    }
    this.sink.responseHead(statusCode, headers, !close);
    return null;
  }

  /** One byte of chunked framing (sizes, extensions, the CRLFs, trailers). */
  private framing(byte: number): ParseError | null {
    switch (this.state) {
      case State.ChunkSize: {
        const digit = hexValue(byte);
        if (digit >= 0) {
          if (++this.sizeDigits > maxSizeDigits) return parseError('HPE_INVALID_CHUNK_SIZE', 'chunk size too large');
          this.remaining = this.remaining * 16 + digit;
          return null;
        }
        if (this.sizeDigits === 0) return parseError('HPE_INVALID_CHUNK_SIZE', 'invalid chunk size');
        if (byte === cr) this.state = State.ChunkSizeLf;
        else if (byte === 59 /* ; */ || byte === 32 || byte === 9) {
          this.state = State.ChunkExtension;
          this.lineLength = 0;
        } else return parseError('HPE_INVALID_CHUNK_SIZE', 'invalid chunk size');
        return null;
      }
      case State.ChunkExtension:
        if (byte === cr) this.state = State.ChunkSizeLf;
        else if (byte === lf || byte < 9 || (byte > 9 && byte < 32) || byte === 127) return parseError('HPE_INVALID_CHUNK_SIZE', 'invalid chunk extension');
        else if (++this.lineLength > this.maxHeadBytes) return parseError('HPE_CHUNK_EXTENSIONS_OVERFLOW', 'chunk extension too long');
        return null;
      case State.ChunkSizeLf:
        if (byte !== lf) return parseError('HPE_INVALID_CHUNK_SIZE', 'expected LF after the chunk size');
        this.sizeDigits = 0;
        if (this.remaining === 0) {
          this.state = State.Trailer;
          this.lineLength = 0;
          this.trailerBytes = 0;
        } else {
          this.state = State.ChunkData;
        }
        return null;
      case State.ChunkDataCr:
        if (byte !== cr) return parseError('HPE_STRICT', 'expected CRLF after chunk data');
        this.state = State.ChunkDataLf;
        return null;
      case State.ChunkDataLf:
        if (byte !== lf) return parseError('HPE_STRICT', 'expected CRLF after chunk data');
        this.state = State.ChunkSize;
        this.remaining = 0;
        return null;
      case State.Trailer:
        if (++this.trailerBytes > this.maxHeadBytes) return parseError('HPE_HEADER_OVERFLOW', 'response trailers too large');
        if (byte === cr) this.state = State.TrailerLf;
        else if (byte === lf || byte < 9 || (byte > 9 && byte < 32) || byte === 127) return parseError('HPE_INVALID_HEADER_TOKEN', 'invalid character in the response trailers');
        else this.lineLength++;
        return null;
      case State.TrailerLf: {
        if (byte !== lf) return parseError('HPE_STRICT', 'expected LF in the response trailers');
        if (this.lineLength > 0) {
          this.state = State.Trailer;
          this.lineLength = 0;
          return null;
        }
        this.state = State.Head;
        this.sink.responseEnd();
        return null;
      }
      default:
        return parseError('HPE_CLOSED', 'parsing stopped');
    }
  }
}
