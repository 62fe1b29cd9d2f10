import { describe, expect, it } from 'vitest';
import { LINE_CONTINUED_MARK as C, LINE_CONTINUES_MARK as M, createLineSplitter } from './line-splitter.js';

function split(chunks: (string | Buffer)[], max?: number): string[] {
  const lines: string[] = [];
  const splitter = createLineSplitter((line) => lines.push(line), max);
  for (const chunk of chunks) splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  splitter.flush();
  return lines;
}

describe('createLineSplitter', () => {
  it('splits on newlines across chunks and drops CR', () => {
    expect(split(['a\nb', 'c\r\n', '\nlast'])).toEqual(['a', 'bc', '', 'last']);
  });

  it('keeps multi-byte characters split between chunks intact', () => {
    const euro = Buffer.from('€\n');
    expect(split([euro.subarray(0, 1), euro.subarray(1)])).toEqual(['€']);
  });

  it('cuts a line longer than the cap into pieces, each saying it was cut', () => {
    expect(split(['abcdefg', 'h\n'], 3)).toEqual([`abc${M}`, `${C}def${M}`, `${C}gh`]);
    expect(split(['abcdefgh\n', 'next\n'], 3)).toEqual([`abc${M}`, `${C}def${M}`, `${C}gh`, `nex${M}`, `${C}t`]);
    expect(split(['abcdef'], 3)).toEqual([`abc${M}`, `${C}def`]);
  });

  it('never cuts a character in two, however the bytes arrive', () => {
    // 40 KiB and more of two-unit (emoji) and two-byte (é) characters, one unit off the cap's grid.
    const line = 'a' + '😀'.repeat(10_000) + 'é'.repeat(5_000);
    const bytes = Buffer.from(`${line}\n`);
    for (const chunks of [[bytes], Array.from({ length: Math.ceil(bytes.length / 7) }, (_, i) => bytes.subarray(i * 7, i * 7 + 7))]) {
      const pieces = split(chunks, 16 * 1024);
      expect(pieces.length).toBe(2);
      for (const p of pieces) expect(p).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
      expect(pieces.map((p, i) => p.slice(i === 0 ? 0 : C.length, i === pieces.length - 1 ? undefined : -M.length)).join('')).toBe(line);
    }
  });

  it('emits nothing for an empty stream', () => {
    expect(split([])).toEqual([]);
  });
});
