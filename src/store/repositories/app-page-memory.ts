// Keyset pages of live apps answered from the in-memory catalog with exactly the SQL's meaning
// (test/property/app-pages-memory.test.ts compares both on SQLite and PostgreSQL): three-valued
// logic around nulls, strings compared by code point (SQLite's BINARY and PostgreSQL's C
// collations), LIKE only on the name, whose lower-cased copy is JavaScript's own toLowerCase.
import type { AppPageRepository } from '../../core/ports/store.js';
import type { App } from '../../domain/app.js';
import { appQueryValue } from '../../domain/app-query.js';
import type { AppFilter, AppOrderKey, AppPageQuery, AppQueryField, AppSelection } from '../../domain/app-query.js';
import type { AppCatalog } from './app-catalog.js';

/** An app with its query values, each formatted (dates as ISO text, the lowered name) once, when first asked. */
export class PageRow {
  #createdAt: string | undefined;
  #updatedAt: string | undefined;
  #deletedAt: string | undefined;
  #nameSearch: string | undefined;
  constructor(readonly app: App) {}

  value(field: AppQueryField): string | null {
    switch (field) {
      case 'createdAt':
        return (this.#createdAt ??= this.app.createdAt.toISOString());
      case 'updatedAt':
        return (this.#updatedAt ??= this.app.updatedAt.toISOString());
      case 'deletedAt':
        return this.app.deletedAt ? (this.#deletedAt ??= this.app.deletedAt.toISOString()) : null;
      default:
        return appQueryValue(this.app, field);
    }
  }

  get nameSearch(): string {
    return (this.#nameSearch ??= this.app.name.toLowerCase());
  }
}

/** SQL's truth values: null is unknown (a comparison with a null), which a WHERE does not select. */
type Truth = boolean | null;
type Test = (row: PageRow) => Truth;

const lonelySurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** A lone surrogate reaches the database as U+FFFD, which the memory would not mimic. */
const wellFormed = (text: string | null) => text === null || !lonelySurrogate.test(text);

function filterAnswerable(filter: AppFilter): boolean {
  if ('and' in filter) return filter.and.every(filterAnswerable);
  if ('or' in filter) return filter.or.every(filterAnswerable);
  if ('not' in filter) return filterAnswerable(filter.not);
  // SQL lowers other fields with lower(), whose Unicode rules differ between backends.
  const like = filter.op === 'contains' || filter.op === 'startsWith' || filter.op === 'endsWith';
  if (like && filter.field !== 'name') return false;
  return Array.isArray(filter.value) ? filter.value.every(wellFormed) : wellFormed(filter.value as string | null);
}

/** Whether the catalog (live apps only) can answer the query with the SQL's meaning. */
export function answerableInMemory(query: AppSelection & { readonly after?: readonly (string | null)[] | null; readonly before?: readonly (string | null)[] | null }): boolean {
  if (query.deleted !== 'exclude') return false;
  if (query.ids && !query.ids.every(wellFormed)) return false;
  if (!(query.after ?? []).every(wellFormed) || !(query.before ?? []).every(wellFormed)) return false;
  return query.filter === null || filterAnswerable(query.filter);
}

export const pageRows = (apps: readonly App[]): PageRow[] => apps.map((app) => new PageRow(app));

/** Code-unit order is code-point order once surrogates (astral characters) rank above the rest of the BMP. */
const rank = (unit: number) => (unit >= 0xd800 && unit <= 0xdfff ? unit + 0x2000 : unit >= 0xe000 ? unit - 0x800 : unit);

/** UTF-8 byte order, which is code-point order: how SQLite and PostgreSQL's C collations compare text. */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return rank(x) - rank(y);
  }
  return a.length - b.length;
}

/** Units from U+D800 up: without them on either side, code-unit order (JavaScript's `<`) is code-point order. */
const highUnits = /[\uD800-\uFFFF]/;

/** `byUnits`: neither value holds a unit from U+D800 up, so `<` gives the code-point order. */
function compareKey<T extends string | number>(x: T | null, y: T | null, key: AppOrderKey, byUnits = false): number {
  if (x === y) return 0;
  if (x === null) return key.nulls === 'first' ? -1 : 1;
  if (y === null) return key.nulls === 'first' ? 1 : -1;
  const c = byUnits || typeof x === 'number' ? (x < y ? -1 : 1) : compareCodePoints(x as string, y as string);
  return key.direction === 'asc' ? c : -c;
}

/** Where `values` stand against the row in `order` (negative: before it). */
function compareToRow(row: PageRow, values: readonly (string | null)[], order: readonly AppOrderKey[]): number {
  for (let i = 0; i < order.length; i++) {
    const key = order[i] as AppOrderKey;
    const c = compareKey(values[i] ?? null, row.value(key.field), key);
    if (c !== 0) return c;
  }
  return 0;
}

/** The rows in `order` (a total order: it ends with the id). */
/** Dates whose ISO text (years 0000-9999) sorts as their time does. */
const isoYears = { from: Date.parse('0000-01-01T00:00:00.000Z'), to: Date.parse('9999-12-31T23:59:59.999Z') };
const dateFields: Partial<Record<AppQueryField, 'createdAt' | 'updatedAt' | 'deletedAt'>> = { createdAt: 'createdAt', updatedAt: 'updatedAt', deletedAt: 'deletedAt' };

/** A field's sort keys: times for dates (cheaper than their ISO text, same order in years 0000-9999), else the text. */
function sortKeys(rows: readonly PageRow[], field: AppQueryField): { keys: (string | number | null)[]; byUnits: boolean } {
  const date = dateFields[field];
  if (date) {
    const times = rows.map((row) => row.app[date]?.getTime() ?? null);
    if (times.every((t) => t === null || (t >= isoYears.from && t <= isoYears.to))) return { keys: times, byUnits: true };
  }
  const texts = rows.map((row) => row.value(field));
  return { keys: texts, byUnits: texts.every((text) => text === null || !highUnits.test(text)) };
}

/** The rows in `order` (a total order: it ends with the id). */
export function sortedRows(rows: readonly PageRow[], order: readonly AppOrderKey[]): PageRow[] {
  const columns = order.map((key) => sortKeys(rows, key.field));
  const positions = rows.map((_, i) => i);
  positions.sort((a, b) => {
    for (let k = 0; k < order.length; k++) {
      const { keys, byUnits } = columns[k] as { keys: (string | number | null)[]; byUnits: boolean };
      const c = compareKey(keys[a] ?? null, keys[b] ?? null, order[k] as AppOrderKey, byUnits);
      if (c !== 0) return c;
    }
    return 0;
  });
  return positions.map((i) => rows[i] as PageRow);
}

const all = (parts: Test[]): Test => (row) => {
  let truth: Truth = true;
  for (const part of parts) {
    const t = part(row);
    if (t === false) return false;
    if (t === null) truth = null;
  }
  return truth;
};

const any = (parts: Test[]): Test => (row) => {
  let truth: Truth = false;
  for (const part of parts) {
    const t = part(row);
    if (t === true) return true;
    if (t === null) truth = null;
  }
  return truth;
};

function compare(field: AppQueryField, one: string | null, holds: (c: number) => boolean): Test {
  if (one === null) return () => null;
  return (row) => {
    const v = row.value(field);
    return v === null ? null : holds(compareCodePoints(v, one));
  };
}

function like(op: 'contains' | 'startsWith' | 'endsWith', one: string | null): Test {
  const needle = (one ?? '').toLowerCase();
  if (op === 'contains') return (row) => row.nameSearch.includes(needle);
  return op === 'startsWith' ? (row) => row.nameSearch.startsWith(needle) : (row) => row.nameSearch.endsWith(needle);
}

function member(field: AppQueryField, list: readonly string[], wanted: boolean): Test {
  if (list.length === 0) return () => !wanted;
  const set = new Set(list);
  return (row) => {
    const v = row.value(field);
    return v === null ? null : set.has(v) === wanted;
  };
}

/** The filter as a test of one row, with SQL's three-valued logic. */
export function compileTest(filter: AppFilter): Test {
  if ('and' in filter) return all(filter.and.map(compileTest));
  if ('or' in filter) return any(filter.or.map(compileTest));
  if ('not' in filter) {
    const inner = compileTest(filter.not);
    return (row) => {
      const t = inner(row);
      return t === null ? null : !t;
    };
  }
  const { field, value } = filter;
  if (Array.isArray(value)) return member(field, value as readonly string[], filter.op !== 'notIn');
  const one = value as string | null;
  switch (filter.op) {
    case 'equals':
      return one === null ? (row) => row.value(field) === null : compare(field, one, (c) => c === 0);
    case 'not':
      return one === null ? (row) => row.value(field) !== null : (row) => row.value(field) !== one;
    case 'lt':
      return compare(field, one, (c) => c < 0);
    case 'lte':
      return compare(field, one, (c) => c <= 0);
    case 'gt':
      return compare(field, one, (c) => c > 0);
    case 'gte':
      return compare(field, one, (c) => c >= 0);
    case 'contains':
    case 'startsWith':
    case 'endsWith':
      return like(filter.op, one);
    case 'in':
    case 'notIn':
      return member(field, [one ?? ''], filter.op === 'in');
  }
}

/** Whether a row is in the selection (live rows only: the catalog holds nothing else). */
export function selects(selection: Pick<AppSelection, 'filter' | 'ids'>): (row: PageRow) => boolean {
  const test = selection.filter ? compileTest(selection.filter) : () => true;
  const ids = selection.ids ? new Set(selection.ids) : null;
  return (row) => (ids === null || ids.has(row.app.id)) && test(row) === true;
}

/** First index whose row is not before `values` (`strict`: whose row is after them). */
function bound(sorted: readonly PageRow[], values: readonly (string | null)[], order: readonly AppOrderKey[], strict: boolean): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    const c = compareToRow(sorted[mid] as PageRow, values, order);
    if (c > 0 || (strict && c === 0)) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** One page of `selected` (the selection's rows in the query's order), as the SQL page reads it. */
export function pageOfRows(selected: readonly PageRow[], query: AppPageQuery): { apps: App[]; hasMore: boolean } {
  if (query.before) {
    const end = bound(selected, query.before, query.order, false);
    const start = Math.max(0, end - query.limit);
    return { apps: selected.slice(start, end).map((row) => row.app), hasMore: start > 0 };
  }
  const start = query.after ? bound(selected, query.after, query.order, true) : 0;
  return { apps: selected.slice(start, start + query.limit).map((row) => row.app), hasMore: start + query.limit < selected.length };
}

/** Answers kept per index at most; past that the oldest go (a selection holds a reference per matching app). */
const keptAnswers = 200;

function remember<T>(kept: Map<string, T>, key: string, compute: () => T): T {
  const known = kept.get(key);
  if (known !== undefined) return known;
  const value = compute();
  if (kept.size >= keptAnswers) kept.delete(kept.keys().next().value as string);
  kept.set(key, value);
  return value;
}

/**
 * One snapshot of a workspace's live apps with what was asked of it so far: the apps in each
 * order, and each selection's matching apps in its order, so a page is a binary search and a slice.
 */
function pageIndex(apps: readonly App[]) {
  const rows = pageRows(apps);
  const sorted = new Map<string, PageRow[]>();
  const selections = new Map<string, PageRow[]>();
  const totals = new Map<string, number>();
  const inOrder = (order: readonly AppOrderKey[]) => remember(sorted, JSON.stringify(order), () => sortedRows(rows, order));
  return {
    selected: (query: Pick<AppPageQuery, 'filter' | 'ids' | 'order'>) =>
      remember(selections, JSON.stringify([query.order, query.filter, query.ids]), () => inOrder(query.order).filter(selects(query))),
    total: (selection: Pick<AppSelection, 'filter' | 'ids'>) =>
      remember(totals, JSON.stringify([selection.filter, selection.ids]), () => {
        const selected = selects(selection);
        let total = 0;
        for (const row of rows) if (selected(row)) total += 1;
        return total;
      }),
  };
}

/** Pages and totals from the catalog; only for queries `answerableInMemory` accepts. */
export function catalogAppPages(catalog: Pick<AppCatalog, 'derived'>): AppPageRepository {
  const indexOf = (workspaceId: string) => catalog.derived(workspaceId, 'page-index', pageIndex);
  return {
    async page(query) {
      return pageOfRows((await indexOf(query.workspaceId)).selected(query), query);
    },
    async count(selection) {
      return (await indexOf(selection.workspaceId)).total(selection);
    },
  };
}
