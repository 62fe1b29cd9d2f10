// The upstream response parser on its own (issue 16): every framing, split at every byte
// boundary, and the malformed heads it must refuse rather than guess at.
import { describe, expect, it } from 'vitest';
import { ResponseParser, type ResponseSink } from '../../src/edge/response-parser.js';

interface Parsed {
  status: number;
  headers: string[];
  keepAlive: boolean;
  body: string;
  /** How the body ended: `last` (its final bytes), `end` (responseEnd) or null (not yet). */
  ended: 'last' | 'end' | null;
}

class Recorder implements ResponseSink {
  responses: Parsed[] = [];
  responseHead(status: number, headers: string[], keepAlive: boolean): void {
    this.responses.push({ status, headers, keepAlive, body: '', ended: null });
  }
  responseBody(buffer: Buffer, start: number, end: number, last: boolean): void {
    const current = this.responses.at(-1);
    if (current === undefined) throw new Error('body before head');
    current.body += buffer.toString('latin1', start, end);
    if (last) current.ended = 'last';
  }
  responseEnd(): void {
    const current = this.responses.at(-1);
    if (current === undefined) throw new Error('end before head');
    current.ended = 'end';
  }
}

/** Feeds `pieces` one read each, copied into one reused buffer with stale bytes around them (as a socket's). */
function parse(pieces: string[], options: { head?: boolean; eof?: boolean; max?: number } = {}) {
  const sink = new Recorder();
  const parser = new ResponseParser(sink, options.max);
  parser.bodiless = options.head === true;
  const buffer = Buffer.alloc(64 * 1024, '\r\n\r\nstale');
  let error: string | null = null;
  for (const piece of pieces) {
    const offset = 7;
    const written = buffer.write(piece, offset, 'latin1');
    const result = parser.execute(buffer, offset, offset + written);
    buffer.fill('\r\n\r\nstale', offset, offset + written);
    if (result !== null) {
      error = result.code;
      break;
    }
  }
  if (error === null && options.eof === true) error = parser.finish()?.code ?? null;
  return { responses: sink.responses, error, idle: parser.idle };
}

/** Every way of cutting `text` into two reads, and into single bytes. */
function splits(text: string): string[][] {
  const ways: string[][] = [[text], text.split('')];
  for (let at = 1; at < text.length; at++) ways.push([text.slice(0, at), text.slice(at)]);
  return ways;
}

const okHead = 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\n';

describe('response parser: framings', () => {
  it('reads a Content-Length body, whatever the reads', () => {
    for (const pieces of splits(`${okHead}hello`)) {
      const { responses, error, idle } = parse(pieces);
      expect(error).toBeNull();
      expect(idle).toBe(true);
      expect(responses).toEqual([
        { status: 200, headers: ['Content-Type', 'text/plain', 'Content-Length', '5'], keepAlive: true, body: 'hello', ended: 'last' },
      ]);
    }
  });

  it('reads a chunked body with extensions and trailers, whatever the reads', () => {
    const text =
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n' +
      '5;name=value\r\nhello\r\n' +
      'A ; a=b;c="d e"\r\n, chunked!\r\n' +
      '0\r\nX-Checksum: abc\r\nX-Other: 1\r\n\r\n';
    for (const pieces of splits(text)) {
      const { responses, error, idle } = parse(pieces);
      expect(error).toBeNull();
      expect(idle).toBe(true);
      expect(responses).toMatchObject([{ status: 200, keepAlive: true, body: 'hello, chunked!', ended: 'end' }]);
    }
  });

  it('reads a chunked body with upper- and lower-case hex sizes and no trailers', () => {
    const body = 'x'.repeat(0x1af);
    const { responses, error } = parse([`HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n1aF\r\n${body}\r\n0\r\n\r\n`]);
    expect(error).toBeNull();
    expect(responses[0]?.body).toBe(body);
  });

  it('reads a body that ends with the connection, and does not keep that connection', () => {
    for (const pieces of splits('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end')) {
      const { responses, error } = parse(pieces, { eof: true });
      expect(error).toBeNull();
      expect(responses).toMatchObject([{ status: 200, keepAlive: false, body: 'until the end', ended: 'end' }]);
    }
  });

  it('ends bodiless responses after their head: HEAD, 204, 304 and Content-Length 0', () => {
    expect(parse([okHead], { head: true }).responses).toMatchObject([{ status: 200, body: '', ended: 'end' }]);
    expect(parse(['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n'], { head: true }).responses).toMatchObject([
      { status: 200, ended: 'end', keepAlive: true },
    ]);
    expect(parse(['HTTP/1.1 204 No Content\r\n\r\n']).responses).toMatchObject([{ status: 204, ended: 'end', keepAlive: true }]);
    expect(parse(['HTTP/1.1 304 Not Modified\r\nContent-Length: 12\r\n\r\n']).responses).toMatchObject([{ status: 304, ended: 'end' }]);
    expect(parse(['HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n']).responses).toMatchObject([{ status: 200, ended: 'end', body: '' }]);
  });

  it('reports 1xx heads and then the final response on the same connection', () => {
    const text = 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n' + okHead + 'hello';
    for (const pieces of splits(text)) {
      const { responses, error } = parse(pieces);
      expect(error).toBeNull();
      expect(responses.map((r) => [r.status, r.body, r.ended])).toEqual([
        [100, '', null],
        [103, '', null],
        [200, 'hello', 'last'],
      ]);
    }
  });

  it('reads responses one after another, the next head in the same read as the last body byte', () => {
    const { responses, error } = parse([`${okHead}hello${okHead}world`, `${okHead.slice(0, 10)}`, `${okHead.slice(10)}again`]);
    expect(error).toBeNull();
    expect(responses.map((r) => r.body)).toEqual(['hello', 'world', 'again']);
  });

  it('keeps HTTP/1.0 connections only when asked, and HTTP/1.1 ones unless told to close', () => {
    const keepAlive = (head: string) => parse([`${head}Content-Length: 0\r\n\r\n`]).responses[0]?.keepAlive;
    expect(keepAlive('HTTP/1.0 200 OK\r\n')).toBe(false);
    expect(keepAlive('HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\n')).toBe(true);
    expect(keepAlive('HTTP/1.1 200 OK\r\nConnection: close\r\n')).toBe(false);
    expect(keepAlive('HTTP/1.1 200 OK\r\nConnection: keep-alive, Close\r\n')).toBe(false);
    expect(keepAlive('HTTP/1.1 200 OK\r\nConnection: closed\r\n')).toBe(true);
    expect(keepAlive('HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\n')).toBe(true);
  });

  it('keeps header names as sent, trims values, accepts a status line without a reason', () => {
    const { responses } = parse(['HTTP/1.1 201\r\nX-A:\t spaced \t\r\nX-Empty:\r\nx-b:c:d\r\nContent-Length: 0\r\n\r\n']);
    expect(responses[0]).toMatchObject({ status: 201, headers: ['X-A', 'spaced', 'X-Empty', '', 'x-b', 'c:d', 'Content-Length', '0'] });
  });

  it('takes repeated equal Content-Length headers, and a Transfer-Encoding not ending in chunked as until-close', () => {
    expect(parse([`HTTP/1.1 200 OK\r\nContent-Length: 2\r\ncontent-length: 2\r\n\r\nok`]).responses[0]).toMatchObject({ body: 'ok', ended: 'last' });
    expect(parse(['HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nzz'], { eof: true }).responses[0]).toMatchObject({
      body: 'zz',
      keepAlive: false,
      ended: 'end',
    });
  });
});

describe('response parser: refusals', () => {
  const refused: [string, string][] = [
    ['not HTTP', 'this is not HTTP\r\n\r\n'],
    ['HTTP/2 status line', 'HTTP/2 200 OK\r\n\r\n'],
    ['a two-digit status', 'HTTP/1.1 20 OK\r\n\r\n'],
    ['a status below 100', 'HTTP/1.1 099 Odd\r\n\r\n'],
    ['letters in the status', 'HTTP/1.1 2x0 OK\r\n\r\n'],
    ['no space after the status', 'HTTP/1.1 200OK\r\n\r\n'],
    ['a header without a colon', 'HTTP/1.1 200 OK\r\nNo colon here\r\n\r\n'],
    ['a space before the colon', 'HTTP/1.1 200 OK\r\nContent-Length : 5\r\n\r\nhello'],
    ['obsolete line folding', 'HTTP/1.1 200 OK\r\nX-A: one\r\n two\r\nContent-Length: 0\r\n\r\n'],
    ['a bare LF', 'HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n'],
    ['a bare CR', 'HTTP/1.1 200 OK\r\nX-A: a\rb\r\nContent-Length: 0\r\n\r\n'],
    ['a NUL in a value', 'HTTP/1.1 200 OK\r\nX-A: a\0b\r\nContent-Length: 0\r\n\r\n'],
    ['a negative Content-Length', 'HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n'],
    ['a Content-Length with letters', 'HTTP/1.1 200 OK\r\nContent-Length: 5x\r\n\r\n'],
    ['conflicting Content-Lengths', 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!'],
    ['a list as Content-Length', 'HTTP/1.1 200 OK\r\nContent-Length: 5, 5\r\n\r\nhello'],
    ['Content-Length with Transfer-Encoding', 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n'],
    ['a chunk size that is not hex', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'],
    ['an empty chunk size', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\r\nhello\r\n'],
    ['a chunk size past 2^52', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10000000000000\r\n'],
    ['chunk data longer than its size', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhello\r\n0\r\n\r\n'],
    ['a chunk size line ending in a bare LF', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\nhello\r\n0\r\n\r\n'],
    ['a control character in a chunk extension', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;a\x01\r\nhello\r\n0\r\n\r\n'],
    ['a bare LF in the trailers', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-A: 1\n\r\n'],
  ];
  for (const [what, text] of refused) {
    it(`refuses ${what}, whatever the reads`, () => {
      for (const pieces of splits(text)) {
        const { error, responses } = parse(pieces);
        expect(error, JSON.stringify(pieces)).toMatch(/^HPE_/);
        expect(responses.filter((r) => r.ended !== null)).toEqual([]);
      }
    });
  }

  it('refuses a head larger than the limit, in one read or many, and takes one just under it', () => {
    const big = `HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(2000)}\r\nContent-Length: 0\r\n\r\n`;
    expect(parse([big], { max: 1024 }).error).toBe('HPE_HEADER_OVERFLOW');
    expect(parse(big.match(/[^]{1,100}/g) ?? [], { max: 1024 }).error).toBe('HPE_HEADER_OVERFLOW');
    expect(parse([`${big.slice(0, 1500)}`], { max: 1024 }).error).toBe('HPE_HEADER_OVERFLOW');
    expect(parse(big.match(/[^]{1,100}/g) ?? [], { max: big.length }).responses).toMatchObject([{ status: 200, ended: 'end' }]);
  });

  it('refuses trailers and chunk extensions larger than the limit', () => {
    const trailers = `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-T: ${'t'.repeat(2000)}\r\n\r\n`;
    expect(parse([trailers], { max: 1024 }).error).toBe('HPE_HEADER_OVERFLOW');
    const extension = `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;${'e'.repeat(2000)}\r\nhello\r\n0\r\n\r\n`;
    expect(parse([extension], { max: 1024 }).error).toBe('HPE_CHUNK_EXTENSIONS_OVERFLOW');
  });

  it('reports a response cut short by the connection ending, at any point', () => {
    const whole = `${okHead}hello`;
    for (let at = 1; at < whole.length; at++) expect(parse([whole.slice(0, at)], { eof: true }).error).toBe('HPE_INVALID_EOF_STATE');
    const chunked = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n';
    for (let at = 1; at < chunked.length; at++) expect(parse([chunked.slice(0, at)], { eof: true }).error).toBe('HPE_INVALID_EOF_STATE');
    expect(parse([chunked], { eof: true }).error).toBeNull();
  });

  it('parses nothing more once stopped', () => {
    const sink = new Recorder();
    const parser = new ResponseParser(sink);
    const bytes = Buffer.from(`${okHead}hello${okHead}world`, 'latin1');
    parser.execute(bytes, 0, okHead.length + 5);
    parser.stop();
    expect(parser.execute(bytes, okHead.length + 5, bytes.length)).toBeNull();
    expect(sink.responses.map((r) => r.body)).toEqual(['hello']);
  });
});

describe('response parser: the header lines an HTTP/1.1 client gets as they are', () => {
  /** The parser's forwarded lines and flags, read during responseHead as the edge does, for each way of splitting `head`. */
  function forwarded(head: string): { lines: string | null; hasLength: boolean; hasDate: boolean }[] {
    return splits(head).map((pieces) => {
      const seen: { lines: string | null; hasLength: boolean; hasDate: boolean }[] = [];
      const sink: ResponseSink = {
        responseHead: () => seen.push({ lines: parser.forwardLines, hasLength: parser.hasLength, hasDate: parser.hasDate }),
        responseBody: () => undefined,
        responseEnd: () => undefined,
      };
      const parser = new ResponseParser(sink);
      for (const piece of pieces) expect(parser.execute(Buffer.from(piece, 'latin1'), 0, piece.length)).toBeNull();
      expect(seen).toHaveLength(1);
      return seen[0] ?? { lines: null, hasLength: false, hasDate: false };
    });
  }

  it("drops the hop-by-hop lines wherever they are and keeps the others byte for byte (Node's usual head)", () => {
    const head =
      'HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\nDate: Fri, 04 Dec 2026 21:00:00 GMT\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\nContent-Length:  2 \r\n\r\nhi';
    for (const got of forwarded(head)) {
      expect(got).toEqual({ lines: 'content-type: text/plain\r\nDate: Fri, 04 Dec 2026 21:00:00 GMT\r\nContent-Length:  2 \r\n', hasLength: true, hasDate: true });
    }
  });

  it('drops every hop-by-hop kind in any casing, first, last or in a row', () => {
    const head =
      'HTTP/1.1 200 OK\r\nTRANSFER-ENCODING: chunked\r\nx-a: 1\r\nproxy-authenticate: Basic\r\nTe: trailers\r\nx-b: 2\r\nTrailer: x-c\r\nUpgrade: h2c\r\nPROXY-CONNECTION: keep-alive\r\n\r\n0\r\n\r\n';
    for (const got of forwarded(head)) expect(got).toEqual({ lines: 'x-a: 1\r\nx-b: 2\r\n', hasLength: false, hasDate: false });
  });

  it('gives no lines when Connection names a header to drop (the header list does it) or says upgrade', () => {
    for (const connection of ['keep-alive, x-secret', 'x-secret', 'Upgrade']) {
      const head = `HTTP/1.1 200 OK\r\nx-secret: hop\r\nConnection: ${connection}\r\nContent-Length: 0\r\n\r\n`;
      for (const got of forwarded(head)) expect(got.lines).toBeNull();
    }
    for (const connection of ['close', 'Close', 'keep-alive', 'Keep-Alive', 'KEEP-ALIVE']) {
      const head = `HTTP/1.1 200 OK\r\nx-kept: yes\r\nConnection: ${connection}\r\nContent-Length: 0\r\n\r\n`;
      for (const got of forwarded(head)) expect(got.lines).toBe('x-kept: yes\r\nContent-Length: 0\r\n');
    }
  });

  it('gives empty lines for a head with only hop-by-hop headers, or none', () => {
    for (const head of ['HTTP/1.1 204 No Content\r\n\r\n', 'HTTP/1.1 204 No Content\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\n\r\n']) {
      for (const got of forwarded(head)) expect(got).toEqual({ lines: '', hasLength: false, hasDate: false });
    }
  });
});
