// Slugs made from names: always valid slugs, suffixes that always fit.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { slugProblem } from './app.js';
import { slugCandidate, slugFromName } from './slug.js';

describe('slugFromName', () => {
  it.each([
    ['My API', 'my-api'],
    ['  --Hello,   World!!  ', 'hello-world'],
    ['Ça va, Mr. Büro 2', 'ca-va-mr-buro-2'],
    ['日本語', 'app'],
    ['!!!', 'app'],
    ['a'.repeat(100), 'a'.repeat(63)],
    [`${'a'.repeat(62)}-b`, 'a'.repeat(62)],
  ])('%j → %s', (name, slug) => expect(slugFromName(name)).toBe(slug));

  it('gives a valid slug for any name, and a valid one for every suffix', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), fc.integer({ min: 1, max: 10_000 }), (name, n) => {
        const candidate = slugCandidate(slugFromName(name), n);
        const problem = slugProblem(candidate);
        // Reserved words are refused by the caller in the name's terms; every other problem would be a bug.
        expect(problem === null || candidate === 'stats' || candidate === 'preview' || candidate === 'ingress').toBe(true);
        if (n > 1) expect(candidate.endsWith(`-${n}`)).toBe(true);
      }),
    );
  });
});
