// Table tests for the traffic math: exact counts over windows, smoothness, and split rules.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSplitSelector, sameWeights, splitProblems, tagProblem, type SplitEntry } from './traffic.js';

function countPicks(weights: number[], picks: number): number[] {
  const selector = createSplitSelector(weights);
  const counts = weights.map(() => 0);
  for (let i = 0; i < picks; i++) {
    const index = selector.next();
    if (index >= 0) counts[index] = (counts[index] ?? 0) + 1;
  }
  return counts;
}

describe('createSplitSelector', () => {
  it.each([
    { weights: [90, 10], picks: 1000, expected: [900, 100] },
    { weights: [10, 90], picks: 1000, expected: [100, 900] },
    { weights: [100], picks: 50, expected: [50] },
    { weights: [0, 100], picks: 50, expected: [0, 50] },
    { weights: [50, 50], picks: 1000, expected: [500, 500] },
    { weights: [33, 33, 34], picks: 1000, expected: [330, 330, 340] },
    { weights: [1, 99], picks: 1000, expected: [10, 990] },
    { weights: [25, 0, 75], picks: 400, expected: [100, 0, 300] },
    { weights: [70, 20, 10], picks: 100, expected: [70, 20, 10] },
  ])('$weights over $picks picks gives exactly $expected', ({ weights, picks, expected }) => {
    expect(countPicks(weights, picks)).toEqual(expected);
  });

  it.each([{ weights: [] as number[] }, { weights: [0, 0] }, { weights: [-5, Number.NaN] }])(
    'returns -1 when no weight is positive ($weights)',
    ({ weights }) => {
      expect(createSplitSelector(weights).next()).toBe(-1);
    },
  );

  it('is exact in every window of one period, not only overall (90/10 spreads one in ten)', () => {
    const selector = createSplitSelector([90, 10]);
    for (let window = 0; window < 100; window++) {
      const picks = Array.from({ length: 10 }, () => selector.next());
      expect(picks.filter((p) => p === 1)).toHaveLength(1);
    }
  });

  it('is deterministic: two selectors with the same weights pick the same sequence', () => {
    const a = createSplitSelector([60, 30, 10]);
    const b = createSplitSelector([60, 30, 10]);
    const seqA = Array.from({ length: 200 }, () => a.next());
    const seqB = Array.from({ length: 200 }, () => b.next());
    expect(seqA).toEqual(seqB);
  });

  it('keeps the weights it was given, for comparison', () => {
    expect(createSplitSelector([90, 10]).weights).toEqual([90, 10]);
  });
});

// Edge workers each run their own selector over the requests their connections bring: per
// worker the split is exact in every period; across N workers the total is exact whenever each
// worker has served whole periods, and never more than N-1 requests off a revision's share.
describe('one selector per edge worker', () => {
  const splits = fc
    .array(fc.integer({ min: 1, max: 98 }), { minLength: 1, maxLength: 2 })
    .filter((parts) => parts.reduce((a, b) => a + b, 0) < 100)
    .map((parts) => [...parts, 100 - parts.reduce((a, b) => a + b, 0)]);

  it('stays within N-1 of the exact share overall, and is exact once every worker has served whole periods', () => {
    fc.assert(
      fc.property(splits, fc.integer({ min: 1, max: 4 }), fc.array(fc.nat(), { minLength: 1, maxLength: 600 }), (weights, workers, arrivals) => {
        const selectors = Array.from({ length: workers }, () => createSplitSelector(weights));
        const served = Array.from({ length: workers }, () => 0);
        const counts = weights.map(() => 0);
        for (const arrival of arrivals) {
          const worker = arrival % workers;
          served[worker] = (served[worker] ?? 0) + 1;
          const index = selectors[worker]?.next() ?? -1;
          counts[index] = (counts[index] ?? 0) + 1;
        }
        const total = arrivals.length;
        weights.forEach((weight, i) => expect(Math.abs((counts[i] ?? 0) - (total * weight) / 100)).toBeLessThan(workers));
        // Top every worker up to a whole number of 100-request periods: then the total is exact.
        selectors.forEach((selector, w) => {
          for (let n = served[w] ?? 0; n % 100 !== 0; n++) {
            const index = selector.next();
            counts[index] = (counts[index] ?? 0) + 1;
          }
        });
        const whole = counts.reduce((a, b) => a + b, 0);
        weights.forEach((weight, i) => expect(counts[i]).toBe((whole * weight) / 100));
      }),
    );
  });
});

describe('sameWeights', () => {
  it.each([
    { a: [90, 10], b: [90, 10], same: true },
    { a: [90, 10], b: [10, 90], same: false },
    { a: [100], b: [100, 0], same: false },
    { a: [], b: [], same: true },
  ])('$a vs $b → $same', ({ a, b, same }) => {
    expect(sameWeights(a, b)).toBe(same);
  });
});

describe('tagProblem', () => {
  it.each([
    { tag: 'canary', slug: undefined, ok: true },
    { tag: 'v2', slug: undefined, ok: true },
    { tag: 'blue-green', slug: undefined, ok: true },
    { tag: '', slug: undefined, ok: false },
    { tag: 'Canary', slug: undefined, ok: false },
    { tag: '2fast', slug: undefined, ok: false },
    { tag: 'ends-', slug: undefined, ok: false },
    { tag: 'a--b', slug: undefined, ok: false },
    { tag: 'has.dot', slug: undefined, ok: false },
    { tag: 'x'.repeat(64), slug: undefined, ok: false },
    { tag: 'x'.repeat(30), slug: 'y'.repeat(30), ok: true },
    { tag: 'x'.repeat(31), slug: 'y'.repeat(30), ok: false },
  ])('"$tag" (slug $slug) ok=$ok', ({ tag, slug, ok }) => {
    expect(tagProblem(tag, slug) === null).toBe(ok);
  });
});

describe('splitProblems', () => {
  const e = (revision: string, percent: number, tag: string | null = null): SplitEntry => ({ revision, percent, tag });

  it.each<{ name: string; splits: SplitEntry[]; problems: string[] }>([
    { name: 'one revision at 100', splits: [e('a-00001', 100)], problems: [] },
    { name: '90/10 with a tag', splits: [e('a-00001', 90), e('a-00002', 10, 'canary')], problems: [] },
    { name: 'a tagged 0 % revision', splits: [e('a-00001', 100), e('a-00002', 0, 'next')], problems: [] },
    { name: 'empty', splits: [], problems: ['splits must list at least one revision'] },
    {
      name: 'sum 90',
      splits: [e('a-00001', 80), e('a-00002', 10)],
      problems: ['splits: the percents must sum to exactly 100 (got 90)'],
    },
    {
      name: 'sum 110',
      splits: [e('a-00001', 100), e('a-00002', 10)],
      problems: ['splits: the percents must sum to exactly 100 (got 110)'],
    },
    {
      name: 'fractional percent',
      splits: [e('a-00001', 99.5), e('a-00002', 0.5)],
      problems: [
        'splits[0].percent must be an integer from 0 to 100',
        'splits[1].percent must be an integer from 0 to 100',
      ],
    },
    {
      name: 'negative percent',
      splits: [e('a-00001', 101), e('a-00002', -1)],
      problems: [
        'splits[0].percent must be an integer from 0 to 100',
        'splits[1].percent must be an integer from 0 to 100',
      ],
    },
    {
      name: 'duplicate revision',
      splits: [e('a-00001', 50), e('a-00001', 50)],
      problems: ['splits[1].revisionName: revision "a-00001" is listed more than once'],
    },
    {
      name: 'duplicate tag',
      splits: [e('a-00001', 50, 'x'), e('a-00002', 50, 'x')],
      problems: ['splits[1].tag: "x" is used more than once'],
    },
    {
      name: 'bad tag and bad sum together',
      splits: [e('a-00001', 50, 'Bad_Tag')],
      problems: [
        'splits[0].tag: tag "Bad_Tag" must be lower-case letters, digits and hyphens, start with a letter and end with a letter or digit',
        'splits: the percents must sum to exactly 100 (got 50)',
      ],
    },
  ])('$name', ({ splits, problems }) => {
    expect(splitProblems(splits)).toEqual(problems);
  });

  it('checks the tag against the slug length when the slug is given', () => {
    const problems = splitProblems([e('r1', 100, 't'.repeat(40))], { slug: 's'.repeat(30) });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('must fit in 63 characters');
  });
});
