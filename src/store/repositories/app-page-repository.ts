// Keyset pages of apps: the core's filter tree and order compiled to SQL with the query builder
// (values are always bound parameters), the same statements on SQLite and PostgreSQL; pages of
// live apps are answered from the catalog instead when it can give the same answer.
import { PostgresAdapter, SqliteAdapter, sql } from 'kysely';
import type { Expression, ExpressionBuilder, Kysely, SqlBool } from 'kysely';
import type { AppPageRepository } from '../../core/ports/store.js';
import type { AppFilter, AppOrderKey, AppQueryField, AppSelection } from '../../domain/app-query.js';
import { httpTypes } from '../../domain/app-kind-facts.js';
import { reversedOrder } from '../../domain/app-query.js';
import type { Database } from '../schema.js';
import type { AppCatalog } from './app-catalog.js';
import { answerableInMemory, catalogAppPages } from './app-page-memory.js';
import { toApp } from './app-repository.js';

type Eb = ExpressionBuilder<Database, 'apps'>;

const columns = {
  id: 'id',
  name: 'name',
  description: 'description',
  slug: 'slug',
  visibility: 'visibility',
  defaultVersionId: 'default_version_id',
  createdBy: 'created_by',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  deletedAt: 'deleted_at',
} as const satisfies Record<Exclude<AppQueryField, 'lifecycle' | 'reach'>, string>;

function valueOf(eb: Eb, field: AppQueryField): Expression<string | null> {
  if (field === 'lifecycle') return eb.case().when('status', '=', 'active').then(sql.lit('live')).else(sql.lit('draft')).end();
  // As `reachOf`: public only for a public app that takes HTTP.
  if (field === 'reach') return eb.case().when(eb.and([eb('visibility', '=', 'public'), eb('type', 'in', [...httpTypes])])).then(sql.lit('public')).else(sql.lit('private')).end();
  return eb.ref(columns[field]);
}

/** `%`, `_` and the escape itself taken literally inside a LIKE pattern. */
const likeLiteral = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

function like(eb: Eb, field: AppQueryField, pattern: string): Expression<SqlBool> {
  // The name has a lower-cased copy (kept for search), so no row is lowered per query.
  const lowered = field === 'name' ? eb.ref('name_search') : sql`lower(${valueOf(eb, field)})`;
  return sql<SqlBool>`${lowered} like ${pattern.toLowerCase()} escape '\\'`;
}

function compile(eb: Eb, filter: AppFilter): Expression<SqlBool> {
  if ('and' in filter) return eb.and(filter.and.map((f) => compile(eb, f)));
  if ('or' in filter) return eb.or(filter.or.map((f) => compile(eb, f)));
  if ('not' in filter) return eb.not(compile(eb, filter.not));
  const target = valueOf(eb, filter.field);
  const { value } = filter;
  if (Array.isArray(value)) {
    if (value.length === 0) return sql<SqlBool>`${sql.lit(filter.op === 'notIn' ? 1 : 0)} = 1`;
    return eb(target, filter.op === 'notIn' ? 'not in' : 'in', value as string[]);
  }
  const one = value as string | null;
  switch (filter.op) {
    case 'equals':
      return one === null ? eb(target, 'is', null) : eb(target, '=', one);
    case 'not':
      return one === null ? eb(target, 'is not', null) : eb.or([eb(target, '<>', one), eb(target, 'is', null)]);
    case 'lt':
      return eb(target, '<', one);
    case 'lte':
      return eb(target, '<=', one);
    case 'gt':
      return eb(target, '>', one);
    case 'gte':
      return eb(target, '>=', one);
    case 'contains':
      return like(eb, filter.field, `%${likeLiteral(one ?? '')}%`);
    case 'startsWith':
      return like(eb, filter.field, `${likeLiteral(one ?? '')}%`);
    case 'endsWith':
      return like(eb, filter.field, `%${likeLiteral(one ?? '')}`);
    case 'in':
    case 'notIn':
      return eb(target, filter.op === 'in' ? 'in' : 'not in', [one ?? '']);
  }
}

/** Rows strictly after `values` in `order` (nulls placed as the order says). */
function after(eb: Eb, order: readonly AppOrderKey[], values: readonly (string | null)[]): Expression<SqlBool> {
  const branches = order.map((key, i) => {
    const equalBefore = order.slice(0, i).map((k, j) => {
      const v = values[j] ?? null;
      return v === null ? eb(valueOf(eb, k.field), 'is', null) : eb(valueOf(eb, k.field), '=', v);
    });
    return eb.and([...equalBefore, beyond(eb, key, values[i] ?? null)]);
  });
  return eb.or(branches);
}

function beyond(eb: Eb, key: AppOrderKey, value: string | null): Expression<SqlBool> {
  const target = valueOf(eb, key.field);
  if (value === null) return key.nulls === 'first' ? eb(target, 'is not', null) : sql<SqlBool>`1 = 0`;
  const past = eb(target, key.direction === 'asc' ? '>' : '<', value);
  return key.nulls === 'last' ? eb.or([past, eb(target, 'is', null)]) : past;
}

/** Totals kept at most; past that the oldest go (a query's total is recounted when it comes back). */
const keptTotals = 500;

/**
 * `writes` counts the writes to apps in this process (the app repository's, as its catalog
 * assumes): a page's `total` scans every match of its filter, so it is kept per selection until
 * the next write, and the pages after the first of a query cost no scan.
 */
export function sqlAppPages(db: Kysely<Database>, writes: () => number = () => Number.NaN): AppPageRepository {
  const totals = new Map<string, { writes: number; total: number }>();
  const selected = (selection: AppSelection) =>
    db
      .selectFrom('apps')
      .where('workspace_id', '=', selection.workspaceId)
      .where((eb) => {
        const conditions: Expression<SqlBool>[] = [];
        if (selection.deleted === 'exclude') conditions.push(eb('deleted_at', 'is', null));
        if (selection.deleted === 'only') conditions.push(eb('deleted_at', 'is not', null));
        if (selection.ids) conditions.push(selection.ids.length > 0 ? eb('id', 'in', [...selection.ids]) : sql<SqlBool>`1 = 0`);
        if (selection.filter) conditions.push(compile(eb, selection.filter));
        return eb.and(conditions);
      });

  return {
    async page(query) {
      const backwards = query.before !== null;
      const order = backwards ? reversedOrder(query.order) : query.order;
      const cursor = query.before ?? query.after;
      let statement = selected(query).selectAll();
      if (cursor) statement = statement.where((eb) => after(eb, order, cursor));
      for (const key of order) {
        statement = statement.orderBy((eb) => valueOf(eb, key.field), (ob) => {
          const directed = key.direction === 'asc' ? ob.asc() : ob.desc();
          return key.nulls === 'first' ? directed.nullsFirst() : directed.nullsLast();
        });
      }
      const rows = await statement.limit(query.limit + 1).execute();
      const apps = rows.slice(0, query.limit).map(toApp);
      return { apps: backwards ? apps.reverse() : apps, hasMore: rows.length > query.limit };
    },
    async count(selection) {
      const key = JSON.stringify(selection);
      const before = writes();
      const kept = totals.get(key);
      if (kept && kept.writes === before) return kept.total;
      const row = await selected(selection).select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
      const total = Number(row.n);
      totals.delete(key);
      if (totals.size >= keptTotals) totals.delete(totals.keys().next().value as string);
      // Kept only when no write happened while counting (NaN: never kept).
      if (writes() === before) totals.set(key, { writes: before, total });
      return total;
    },
  };
}

/** PostgreSQL collations whose order is the code points' (libc's C ones, the builtin provider's). */
const codePointCollations = ['C', 'POSIX', 'C.UTF-8', 'C.utf8'];

/** Whether the database orders text by code point, as the catalog's answers do. */
async function ordersByCodePoint(db: Kysely<Database>): Promise<boolean> {
  const { adapter } = db.getExecutor();
  if (adapter instanceof SqliteAdapter) return true; // BINARY, SQLite's only built-in order for text
  if (!(adapter instanceof PostgresAdapter)) return false;
  const { rows } = await sql<{ datcollate: string; datlocprovider?: string }>`select * from pg_database where datname = current_database()`.execute(db);
  const settings = rows[0];
  if (!settings) return false;
  if (settings.datlocprovider === 'b') return true;
  return (settings.datlocprovider ?? 'c') === 'c' && codePointCollations.includes(settings.datcollate);
}

/**
 * `live`: the catalog of live apps, which answers the queries it can answer as the SQL would
 * (on a database that orders text by code point); the rest, and every query that shows
 * soft-deleted apps, go to SQL.
 */
export function appPageRepository(db: Kysely<Database>, sources: { writes?: () => number; live?: Pick<AppCatalog, 'derived'> } = {}): AppPageRepository {
  const inSql = sqlAppPages(db, sources.writes);
  if (!sources.live) return inSql;
  const inMemory = catalogAppPages(sources.live);
  let byCodePoint: Promise<boolean> | null = null;
  const memoryAnswers = async (query: Parameters<typeof answerableInMemory>[0]) => answerableInMemory(query) && (await (byCodePoint ??= ordersByCodePoint(db)));
  return {
    page: async (query) => ((await memoryAnswers(query)) ? inMemory.page(query) : inSql.page(query)),
    count: async (selection) => ((await memoryAnswers(selection)) ? inMemory.count(selection) : inSql.count(selection)),
  };
}
