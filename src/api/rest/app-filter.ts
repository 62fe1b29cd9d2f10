// Spec 003's `filter` and `orderBy` for apps, parsed from their JSON into the core's query terms.
// Every field and operator is checked against the app's fields; a bad part is refused with a 400
// naming where it is (`filter.OR[1].status.gt: …`). Values are mapped to the core's terms here:
// `handle` is the slug, `publicAccess` the reach (public and taking HTTP), `status` the lifecycle.
import type { AppFilter, AppOrderKey, AppQueryField, Comparison, FilterValue } from '../../domain/app-query.js';
import { comparisons } from '../../domain/app-query.js';
import { DomainError } from '../../domain/errors.js';
import { say, wire } from '../../domain/wording.js';
import type { Phrase } from '../../domain/wording.js';

type Kind = 'text' | 'status' | 'boolean' | 'date';

const wireFields: Record<string, { field: AppQueryField; kind: Kind }> = {
  id: { field: 'id', kind: 'text' },
  name: { field: 'name', kind: 'text' },
  description: { field: 'description', kind: 'text' },
  handle: { field: 'slug', kind: 'text' },
  status: { field: 'lifecycle', kind: 'status' },
  publicAccess: { field: 'reach', kind: 'boolean' },
  defaultVersionId: { field: 'defaultVersionId', kind: 'text' },
  createdBy: { field: 'createdBy', kind: 'text' },
  apiKeyId: { field: 'createdBy', kind: 'text' },
  createdAt: { field: 'createdAt', kind: 'date' },
  updatedAt: { field: 'updatedAt', kind: 'date' },
  deletedAt: { field: 'deletedAt', kind: 'date' },
};

const operatorsOf: Record<Kind, readonly Comparison[]> = {
  text: comparisons,
  status: ['equals', 'not', 'in', 'notIn'],
  boolean: ['equals', 'not'],
  date: ['equals', 'not', 'in', 'notIn', 'lt', 'lte', 'gt', 'gte'],
};

const statusWords = ['draft', 'live'];
export const orderDirections = ['asc', 'desc', 'asc_nulls_first', 'asc_nulls_last', 'desc_nulls_first', 'desc_nulls_last'] as const;
/** How deep AND/OR/NOT may nest, and how many conditions one filter may hold. */
const maxDepth = 8;
const maxConditions = 100;

class Parse {
  readonly problems: Phrase[] = [];
  conditions = 0;
  fail(path: string, text: string): null {
    this.problems.push(say`${wire(path)}: ${text}`);
    return null;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function scalar(p: Parse, path: string, kind: Kind, value: unknown): string | null | undefined {
  if (value === null) return null;
  switch (kind) {
    case 'text':
      if (typeof value === 'string') return value;
      return p.fail(path, 'must be a string or null') ?? undefined;
    case 'status':
      if (typeof value === 'string' && statusWords.includes(value)) return value;
      return p.fail(path, `must be one of ${statusWords.join(', ')}`) ?? undefined;
    case 'boolean':
      if (typeof value === 'boolean') return value ? 'public' : 'private';
      return p.fail(path, 'must be true or false') ?? undefined;
    case 'date':
      if (typeof value === 'string' && !Number.isNaN(Date.parse(value)) && /^\d{4}-\d{2}-\d{2}/.test(value)) return new Date(value).toISOString();
      return p.fail(path, 'must be an ISO-8601 date-time') ?? undefined;
  }
}

function condition(p: Parse, path: string, name: string, spec: unknown): AppFilter | null {
  const known = wireFields[name];
  if (!known) return p.fail(path, `unknown field; filterable fields are ${[...Object.keys(wireFields), 'AND', 'OR', 'NOT'].join(', ')}`);
  const ops: Record<string, unknown> = isObject(spec) ? spec : { equals: spec };
  const parts: AppFilter[] = [];
  for (const [op, raw] of Object.entries(ops)) {
    const at = isObject(spec) ? `${path}.${op}` : path;
    if (++p.conditions > maxConditions) return p.fail(at, `a filter may hold at most ${maxConditions} conditions`);
    const allowed = operatorsOf[known.kind];
    if (!allowed.includes(op as Comparison)) {
      p.fail(at, `unknown operator for ${name}; use one of ${allowed.join(', ')}`);
      continue;
    }
    let value: FilterValue | undefined;
    if (op === 'in' || op === 'notIn') {
      if (!Array.isArray(raw) || raw.length > maxConditions) {
        p.fail(at, `must be an array of at most ${maxConditions} values`);
        continue;
      }
      const values = raw.map((v, i) => scalar(p, `${at}[${i}]`, known.kind, v));
      if (values.some((v) => v === undefined || v === null)) {
        if (values.some((v) => v === null)) p.fail(at, 'may not hold null (use equals: null)');
        continue;
      }
      value = values as string[];
    } else {
      value = scalar(p, at, known.kind, raw);
      if (value === null && op !== 'equals' && op !== 'not') value = p.fail(at, 'cannot compare with null (use equals: null or not: null)') ?? undefined;
    }
    if (value !== undefined) parts.push({ field: known.field, op: op as Comparison, value });
  }
  if (parts.length === 0 && Object.keys(ops).length === 0) return p.fail(path, 'names no operator');
  return parts.length === 1 ? (parts[0] ?? null) : { and: parts };
}

function node(p: Parse, path: string, value: unknown, depth: number): AppFilter | null {
  if (depth > maxDepth) return p.fail(path, `nests deeper than ${maxDepth} levels`);
  if (!isObject(value)) return p.fail(path, 'must be an object of fields and AND, OR, NOT');
  const parts: AppFilter[] = [];
  for (const [key, inner] of Object.entries(value)) {
    const at = `${path}.${key}`;
    let part: AppFilter | null = null;
    if (key === 'AND' || key === 'OR') {
      const list = Array.isArray(inner) ? inner : [inner];
      const children = list.map((child, i) => node(p, Array.isArray(inner) ? `${at}[${i}]` : at, child, depth + 1)).filter((c): c is AppFilter => c !== null);
      part = key === 'AND' ? { and: children } : { or: children };
    } else if (key === 'NOT') {
      const list = Array.isArray(inner) ? inner : [inner];
      const children = list.map((child, i) => node(p, Array.isArray(inner) ? `${at}[${i}]` : at, child, depth + 1)).filter((c): c is AppFilter => c !== null);
      part = { not: children.length === 1 && children[0] ? children[0] : { or: children } };
    } else part = condition(p, at, key, inner);
    if (part) parts.push(part);
  }
  return parts.length === 1 ? (parts[0] ?? null) : { and: parts };
}

function json(p: Parse, name: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Not JSON: said as a problem of the parameter.
    return p.fail(name, 'is not valid JSON') ?? undefined;
  }
}

function refuseIfAny(p: Parse): void {
  const [first] = p.problems;
  if (first) throw new DomainError('invalid', first, p.problems);
}

/** The filter of `?filter=`, in the core's terms (null: none). */
export function parseAppFilter(text: string | undefined): AppFilter | null {
  if (text === undefined || text.trim() === '') return null;
  const p = new Parse();
  const value = json(p, 'filter', text);
  const filter = value === undefined ? null : node(p, 'filter', value, 0);
  refuseIfAny(p);
  return filter;
}

/** The keys of `?orderBy=` (a JSON array of `{ field: direction }`, or one such object). */
export function parseAppOrder(text: string | undefined): AppOrderKey[] {
  if (text === undefined || text.trim() === '') return [];
  const p = new Parse();
  const value = json(p, 'orderBy', text);
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  const keys: AppOrderKey[] = [];
  list.forEach((item, i) => {
    const at = Array.isArray(value) ? `orderBy[${i}]` : 'orderBy';
    if (!isObject(item) || Object.keys(item).length !== 1) return p.fail(at, 'must be an object with one field and its direction');
    const [name, direction] = Object.entries(item)[0] ?? [];
    const known = name === undefined ? undefined : wireFields[name];
    if (!known) return p.fail(`${at}.${name}`, `unknown field; sortable fields are ${Object.keys(wireFields).join(', ')}`);
    if (typeof direction !== 'string' || !(orderDirections as readonly string[]).includes(direction)) return p.fail(`${at}.${name}`, `direction must be one of ${orderDirections.join(', ')}`);
    const [dir, , nulls] = direction.split('_');
    keys.push({ field: known.field, direction: dir === 'desc' ? 'desc' : 'asc', nulls: nulls === 'first' ? 'first' : nulls === 'last' ? 'last' : dir === 'desc' ? 'first' : 'last' });
    return null;
  });
  if (list.length > 10) p.fail('orderBy', 'may have at most 10 keys');
  refuseIfAny(p);
  return keys;
}
