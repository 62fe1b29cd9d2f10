import { describe, expect, it } from 'vitest';
import { createLineSplitter } from './line-splitter.js';

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

  it('cuts a line longer than the cap into pieces', () => {
    expect(split(['abcdefg', 'h\n'], 3)).toEqual(['abc', 'def', 'gh']);
    expect(split(['abcdefgh\n'], 3)).toEqual(['abc', 'def', 'gh']);
  });

  it('emits nothing for an empty stream', () => {
    expect(split([])).toEqual([]);
  });
});
