// Turns schema validation failures into one readable line per field problem
// ("cpuLimitMillicores must be >= 50"), as NestJS clients expect in `message`; as phrases, each
// names its field in the dialect's own words (the schema's), for dialects that list fields apart.
import type { ErrorObject } from 'ajv';
import { say, wire } from '../domain/wording.js';
import type { Phrase } from '../domain/wording.js';

function fieldName(error: ErrorObject): string {
  const path = error.instancePath
    .split('/')
    .filter(Boolean)
    .map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`))
    .join('')
    .replace(/^\./, '');
  if (error.keyword === 'required') {
    const missing = String((error.params as { missingProperty?: string }).missingProperty ?? '');
    return path ? `${path}.${missing}` : missing;
  }
  return path;
}

/** Where an error sits in a union (`anyOf`): the union, the alternative, and the keyword path inside it. */
function alternativeOf(error: ErrorObject): { union: string; branch: string; rest: string } | null {
  const match = /^(.*)\/anyOf\/(\d+)\/(.*)$/.exec(error.schemaPath);
  return match
    ? { union: `${match[1] ?? ''}@${error.instancePath}`, branch: match[2] ?? '', rest: match[3] ?? '' }
    : null;
}

/**
 * A union fails once per alternative: `type` must be equal to constant four times, or
 * `expiresAt` must match format "date-time" and also be of type null. Keeps only the
 * alternatives whose type the value had, and folds the rest into one line per field.
 */
function foldAlternatives(errors: readonly ErrorObject[]): ErrorObject[] {
  const typeMatched = new Map<string, Set<string>>();
  for (const error of errors) {
    const at = alternativeOf(error);
    if (!at || at.rest === 'type' || at.rest === 'const') continue;
    typeMatched.set(at.union, (typeMatched.get(at.union) ?? new Set()).add(at.branch));
  }
  const relevant = errors.filter((error) => {
    const at = alternativeOf(error);
    const matched = at ? typeMatched.get(at.union) : undefined;
    return !at || !matched || matched.has(at.branch);
  });
  const alternatives = new Map<string, unknown[]>();
  for (const error of relevant) {
    const at = alternativeOf(error);
    if (!at || (at.rest !== 'type' && at.rest !== 'const')) continue;
    const params = error.params as { allowedValue?: unknown; type?: unknown };
    const key = `${at.rest}:${at.union}`;
    alternatives.set(key, [...(alternatives.get(key) ?? []), at.rest === 'const' ? params.allowedValue : params.type]);
  }
  const emitted = new Set<string>();
  return relevant.flatMap((error): ErrorObject[] => {
    const at = alternativeOf(error);
    const key = at ? `${at.rest}:${at.union}` : '';
    const values = alternatives.get(key);
    if (!at || !values) return [error];
    // "must be one of: a, b" already says what type the value must have.
    if (emitted.has(key) || (at.rest === 'type' && alternatives.has(`const:${at.union}`))) return [];
    emitted.add(key);
    // A nullable enum (`'A' | 'B' | null`) allows null too: say so in the same line.
    const nullable = at.rest === 'const' && (alternatives.get(`type:${at.union}`) ?? []).includes('null');
    return at.rest === 'const'
      ? [{ ...error, keyword: 'enum', params: { allowedValues: nullable ? [...values, 'null'] : values } }]
      : [{ ...error, params: { type: [...new Set(values.map(String))].join(' or ') } }];
  });
}

/** What is wrong with the field, after its name. */
function complaint(error: ErrorObject): string {
  switch (error.keyword) {
    case 'required':
      return 'is required';
    case 'pattern': {
      const words = (error.parentSchema as { 'x-pattern-message'?: unknown } | undefined)?.['x-pattern-message'];
      return typeof words === 'string' ? words : (error.message ?? 'is invalid');
    }
    case 'enum':
      return `must be one of: ${((error.params as { allowedValues?: unknown[] }).allowedValues ?? []).join(', ')}`;
    case 'type':
      return `must be ${(error.params as { type?: string }).type === 'integer' ? 'an integer' : `of type ${String((error.params as { type?: unknown }).type)}`}`;
    default:
      return error.message ?? 'is invalid';
  }
}

/** One phrase per problem, each once; it opens with the field (as the schema names it) when there is one. */
export function validationProblems(errors: readonly ErrorObject[], part: string): Phrase[] {
  const relevant = errors.filter((error) => error.keyword !== 'anyOf' && error.keyword !== 'if');
  const seen = new Set<string>();
  const problems: Phrase[] = [];
  for (const error of foldAlternatives(relevant)) {
    const name = fieldName(error);
    const text = complaint(error);
    const line = `${name || part} ${text}`;
    if (seen.has(line)) continue;
    seen.add(line);
    problems.push(name ? say`${wire(name)} ${text}` : say`${part} ${text}`);
  }
  return problems;
}

export function validationMessages(errors: readonly ErrorObject[], part: string): string[] {
  return validationProblems(errors, part).map((problem) => problem.parts.map((p) => (typeof p === 'string' ? p : 'wire' in p ? p.wire : '')).join(''));
}
