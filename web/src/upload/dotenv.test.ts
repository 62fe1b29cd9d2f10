import { describe, expect, it } from 'vitest';
import { parseDotenv } from './dotenv';

describe('parseDotenv (the console’s bulk paste)', () => {
  it('reads plain, exported, quoted and commented lines; the last value of a key wins', () => {
    const text = ['# comment', 'A=1', 'export B = two words ', "C='single # kept'", 'D="line\\nnext \\"q\\""', 'E=x # trailing', '', 'not a line', 'A=3'].join('\n');
    expect(parseDotenv(text).entries).toEqual([
      { key: 'A', value: '3' },
      { key: 'B', value: 'two words' },
      { key: 'C', value: 'single # kept' },
      { key: 'D', value: 'line\nnext "q"' },
      { key: 'E', value: 'x' },
    ]);
    expect(parseDotenv(text).unreadLines).toEqual([8]);
  });

  it('keeps an empty value and Windows line ends', () => {
    expect(parseDotenv('EMPTY=\r\nX=y\r\n').entries).toEqual([
      { key: 'EMPTY', value: '' },
      { key: 'X', value: 'y' },
    ]);
  });
});
