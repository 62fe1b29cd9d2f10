// The joined-string search finds exactly the names a per-name case-insensitive `includes` finds,
// each once and in order, for any names and search (unicode, separators, repeats, empty).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nameIndex } from './name-index.js';

const oracle = (names: string[], search: string) =>
  names.flatMap((name, i) => (name.toLowerCase().includes(search.toLowerCase()) ? [i] : []));

const text = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
  fc.constantFrom('aa', 'AA', 'İ', 'ß', 'a\0b'),
);

describe('nameIndex', () => {
  it('matches what a per-name includes matches', () => {
    fc.assert(
      fc.property(fc.array(text, { maxLength: 30 }), text, (names, search) => {
        expect(nameIndex(names).matching(search)).toEqual(oracle(names, search));
      }),
      { numRuns: 2000 },
    );
  });

  it('finds a search that sits in many names, and one that spans no names', () => {
    const names = ['Amber Otter 1', 'brisk OTTER 2', 'otterotter', 'calm heron'];
    expect(nameIndex(names).matching('otter')).toEqual([0, 1, 2]);
    expect(nameIndex(names).matching('1brisk')).toEqual([]);
    expect(nameIndex([]).matching('x')).toEqual([]);
  });
});
