// A small HTTP/1.x response parser for the edge's upstream connections: the status line and
// headers, then a body framed by Content-Length, chunked transfer coding (extensions and trailers
// skipped) or the connection's end. It reads ranges of whatever buffer the socket filled, keeps
// nothing of it but a partial head, and hands body bytes on as ranges of that same buffer:
// no allocation and no call from C++ per read, unlike Node's native parser (upstream-connection.ts).
// Strict where framing is concerned (RFC 9112 §6): conflicting lengths, Content-Length with
// Transfer-Encoding, bad chunk sizes, bare CR or LF, obsolete line folding and oversized heads
// are errors, never guesses.
import { ChunkedDecoder, parseError, type ChunkSink, type ParseError } from './chunked-body.js';
import { hasBadHeadChar, isToken } from './head-chars.js';
import { connectionHeader, contentLengthHeader, dateHeader, hasToken, headerKind, isHopByHopKind, keepAliveHeader, transferEncodingHeader } from './header-names.js';

export type { ParseError } from './chunked-body.js';

/** What the parser reports; it calls nothing else. */
export interface ResponseSink {
  /** A complete head (1xx included; the parser expects another head after those). */
  /** `keepAliveHint`: the Keep-Alive header's value (the app's idle timeout), '' without one. */
  responseHead(statusCode: number, headers: string[], keepAlive: boolean, keepAliveHint: string): void;
  /** Body bytes `start` to `end` of `buffer` (valid during the call only); `last`: the body (of a known length) ends with them. */
  responseBody(buffer: Buffer, start: number, end: number, last: boolean): void;
  /** The response ended: after its head when it has no body, after a chunked body's last chunk and trailers, or (finish()) with the connection. */
  responseEnd(): void;
}

const enum State {
  Head,
  /** Content-Length: `remaining` bytes to come. */
  Counted,
  /** Until the connection ends. */
  UntilClose,
  /** A chunked body, read by `chunks`. */
  Chunked,
  /** An error happened: nothing more is parsed. */
  Failed,
}

const digits = /^[0-9]+$/;

/** A Connection value that names no header to drop: `keep-alive` or `close` (what apps send). */
function onlyFraming(value: string): boolean {
  if (value.length === 10) return value === 'keep-alive' || value === 'Keep-Alive' || value.toLowerCase() === 'keep-alive';
  return value.length === 5 && (value === 'close' || value.toLowerCase() === 'close');
}

export class ResponseParser implements ChunkSink {
  private state = State.Head;
  /** Bytes of a head (or of a trailer section) split across reads. */
  private partial: Buffer | null = null;
  private remaining = 0;
  private readonly chunks: ChunkedDecoder;
  /** The next response answers a HEAD request: it has no body whatever its headers say. */
  bodiless = false;
  /**
   * Of the head just reported: its header lines without the hop-by-hop ones, as the app wrote them
   * (each ending in CRLF), for an HTTP/1.1 client; null when a Connection header names other headers
   * to drop (then the header list is the way). Read during responseHead only.
   */
  forwardLines: string | null = null;
  /** The head just reported has a Content-Length, a Date. */
  hasLength = false;
  hasDate = false;

  constructor(
    private readonly sink: ResponseSink,
    /** Largest head (status line, headers and the empty line) accepted, in bytes. */
    private readonly maxHeadBytes = 16 * 1024,
  ) {
    this.chunks = new ChunkedDecoder(this, maxHeadBytes, 'response');
  }

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
        case State.Chunked: {
          const next = this.chunks.execute(buffer, at, end);
          if (typeof next !== 'number') return this.fail(next);
          at = next;
          break;
        }
        default:
          return null;
      }
      if ((this.state as State) === State.Failed) return null; // stopped by the sink
    }
    return null;
  }

  /** Parses nothing more (the sink gave up on the connection). */
  stop(): void {
    this.state = State.Failed;
    this.partial = null;
    this.chunks.stop();
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
    this.stop();
    return error;
  }

  // --- ChunkSink --------------------------------------------------------------------------------

  chunkData(buffer: Buffer, start: number, end: number): void {
    this.sink.responseBody(buffer, start, end, false);
  }

  chunkedEnd(): void {
    this.state = State.Head;
    this.sink.responseEnd();
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
    if (hasBadHeadChar(text)) return parseError('HPE_INVALID_HEADER_TOKEN', 'invalid character in the response head');
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
    let keepAliveHint = '';
    let hasDate = false;
    let lines = '';
    let linesFrom = lineEnd + 2;
    let linesKept = true;
    let at = lineEnd + 2;
    while (at < text.length) {
      const lineStart = at;
      let next = text.indexOf('\r\n', at);
      if (next < 0) next = text.length;
      const colon = text.indexOf(':', at);
      if (colon < 0 || colon > next) return parseError('HPE_INVALID_HEADER_TOKEN', 'invalid response header line');
      if (!isToken(text, at, colon)) return parseError('HPE_INVALID_HEADER_TOKEN', 'invalid response header name');
      let valueStart = colon + 1;
      let valueEnd = next;
      while (valueStart < valueEnd && (text.charCodeAt(valueStart) === 32 || text.charCodeAt(valueStart) === 9)) valueStart++;
      while (valueEnd > valueStart && (text.charCodeAt(valueEnd - 1) === 32 || text.charCodeAt(valueEnd - 1) === 9)) valueEnd--;
      const name = text.slice(at, colon);
      const value = text.slice(valueStart, valueEnd);
      headers.push(name, value);
      at = next + 2;
      const kind = headerKind(name);
      if (isHopByHopKind(kind)) {
        // The lines kept before this one go on as one slice (ending in CRLF); this one is dropped.
        if (lineStart > linesFrom) lines += text.slice(linesFrom, lineStart);
        linesFrom = at;
        if (kind === connectionHeader && !onlyFraming(value)) linesKept = false;
      } else if (kind === dateHeader) {
        hasDate = true;
      }
      if (kind === contentLengthHeader) {
        if (!digits.test(value) || value.length > 15) return parseError('HPE_INVALID_CONTENT_LENGTH', 'invalid Content-Length in the response');
        const n = Number(value);
        if (length >= 0 && n !== length) return parseError('HPE_UNEXPECTED_CONTENT_LENGTH', 'conflicting Content-Length values in the response');
        length = n;
      } else if (kind === transferEncodingHeader) {
        transferEncoding = true;
        // Only a final `chunked` coding frames the body; any other ends with the connection.
        const codings = value.toLowerCase().split(',');
        chunked = codings[codings.length - 1]?.trim() === 'chunked';
      } else if (kind === keepAliveHeader) {
        keepAliveHint = value;
      } else if (kind === connectionHeader) {
        if (hasToken(value, 'close')) close = true;
        else if (minor === 0 && hasToken(value, 'keep-alive')) close = false;
      }
    }
    if (linesFrom < text.length) lines += `${text.slice(linesFrom)}\r\n`;
    this.forwardLines = linesKept ? lines : null;
    this.hasLength = length >= 0;
    this.hasDate = hasDate;
    if (transferEncoding && length >= 0) return parseError('HPE_UNEXPECTED_CONTENT_LENGTH', 'Content-Length together with Transfer-Encoding in the response');

    if (statusCode < 200) {
      this.sink.responseHead(statusCode, headers, true, keepAliveHint);
      return null; // no body; the final response follows
    }
    const bodiless = this.bodiless || statusCode === 204 || statusCode === 304;
    this.bodiless = false;
    if (bodiless || length === 0) {
      this.sink.responseHead(statusCode, headers, !close, keepAliveHint);
      if (this.state === State.Head) this.sink.responseEnd();
      return null;
    }
    if (chunked) {
      this.state = State.Chunked;
      this.chunks.begin();
    } else if (length > 0) {
      this.state = State.Counted;
      this.remaining = length;
    } else {
      this.state = State.UntilClose;
      close = true;
    }
    this.sink.responseHead(statusCode, headers, !close, keepAliveHint);
    return null;
  }
}
