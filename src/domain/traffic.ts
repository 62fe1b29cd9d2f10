// Traffic math for revisions: exact, deterministic weighted selection (smooth weighted
// round-robin, nginx's algorithm) and the rules a traffic split must satisfy. Pure: the edge
// and the core share it, so "10 %" means exactly 100 of every 1,000 requests everywhere.

/** Picks the next index by weight; a weight-w item is picked exactly w times per sum(weights) picks. */
export interface SplitSelector {
  /** Index of the chosen weight, or -1 when every weight is 0. */
  next(): number;
  /** The weights as given (not reduced); lets a caller tell whether a new split differs. */
  readonly weights: readonly number[];
}

function gcd(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) {
    const t = x % y;
    x = y;
    y = t;
  }
  return x;
}

/**
 * Smooth weighted round-robin: each pick adds every weight to its running score, takes the
 * highest score (first on ties) and subtracts the total from it. Over any window of
 * sum(weights) consecutive picks, item i is chosen exactly weights[i] times, spread evenly
 * (90/10 gives nine picks of the first, then one of the second, every ten requests).
 * Weights are reduced by their greatest common divisor first, so the period is as short as it can be.
 */
export function createSplitSelector(weights: readonly number[]): SplitSelector {
  const clean = weights.map((w) => (Number.isFinite(w) && w > 0 ? Math.floor(w) : 0));
  const divisor = clean.reduce((acc, w) => (w > 0 ? gcd(acc, w) : acc), 0);
  const reduced = clean.map((w) => (divisor > 0 ? w / divisor : 0));
  const total = reduced.reduce((acc, w) => acc + w, 0);
  const scores = reduced.map(() => 0);
  const count = reduced.length;
  const frozen = Object.freeze([...weights]);

  if (total === 0) return { next: () => -1, weights: frozen };
  const only = reduced.filter((w) => w > 0).length === 1 ? reduced.findIndex((w) => w > 0) : -1;
  if (only >= 0) return { next: () => only, weights: frozen };

  return {
    weights: frozen,
    next(): number {
      let best = -1;
      let bestScore = -Infinity;
      for (let i = 0; i < count; i++) {
        const w = reduced[i] ?? 0;
        if (w === 0) continue;
        const score = (scores[i] ?? 0) + w;
        scores[i] = score;
        if (score > bestScore) {
          best = i;
          bestScore = score;
        }
      }
      scores[best] = bestScore - total;
      return best;
    },
  };
}

/** True when two weight lists would select identically (same length, same weights in order). */
export function sameWeights(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** One entry of a traffic split as a caller states it. */
export interface SplitEntry {
  /** The revision's name or id: only used to spot duplicates and to name problems. */
  revision: string;
  /** The field that named the revision, as the client sent it (default `revisionName`). */
  revisionField?: string;
  percent: number;
  tag?: string | null;
}

const maxLabel = 63;
const tagShape = /^[a-z]([a-z0-9-]*[a-z0-9])?$/;
/** Separates tag and slug in `{tag}---{slug}.{base}`. */
export const tagSeparator = '---';

/** Why a tag cannot be used in a hostname label, or null when it can. */
export function tagProblem(tag: string, slug?: string): string | null {
  if (tag.length === 0 || tag.length > maxLabel) return `tag "${tag}" must be 1-${maxLabel} characters`;
  if (!tagShape.test(tag)) {
    return `tag "${tag}" must be lower-case letters, digits and hyphens, start with a letter and end with a letter or digit`;
  }
  if (tag.includes('--')) return `tag "${tag}" must not contain "--" (reserved as the tag separator)`;
  if (slug !== undefined && tag.length + tagSeparator.length + slug.length > maxLabel) {
    return `tag "${tag}" is too long for app "${slug}": "${tag}${tagSeparator}${slug}" must fit in ${maxLabel} characters`;
  }
  return null;
}

/**
 * Every problem with a traffic split, one message per problem (empty when valid): at least
 * one entry, each percent an integer 0-100, the percents summing to exactly 100, no revision
 * twice, tags unique and DNS-label-safe (also combined with the slug, when given).
 */
export function splitProblems(splits: readonly SplitEntry[], options: { slug?: string; field?: string } = {}): string[] {
  const problems: string[] = [];
  const field = options.field ?? 'splits';
  if (splits.length === 0) return [`${field} must list at least one revision`];
  const revisions = new Set<string>();
  const tags = new Set<string>();
  let sum = 0;
  let percentsValid = true;
  splits.forEach((entry, i) => {
    const where = `${field}[${i}]`;
    if (!Number.isInteger(entry.percent) || entry.percent < 0 || entry.percent > 100) {
      problems.push(`${where}.percent must be an integer from 0 to 100`);
      percentsValid = false;
    } else {
      sum += entry.percent;
    }
    if (revisions.has(entry.revision)) problems.push(`${where}.${entry.revisionField ?? 'revisionName'}: revision "${entry.revision}" is listed more than once`);
    revisions.add(entry.revision);
    const tag = entry.tag ?? null;
    if (tag === null) return;
    const problem = tagProblem(tag, options.slug);
    if (problem !== null) problems.push(`${where}.tag: ${problem}`);
    if (tags.has(tag)) problems.push(`${where}.tag: "${tag}" is used more than once`);
    tags.add(tag);
  });
  if (percentsValid && sum !== 100) problems.push(`${field}: the percents must sum to exactly 100 (got ${sum})`);
  return problems;
}
