// The query endpoint's SQL, read-only by construction and not by keyword alone: run as a role that
// owns nothing and holds only pg_read_all_data, in a READ ONLY transaction that is always rolled
// back, with statement_timeout, over the extended protocol (one statement only), a LIMIT wrapped
// around row-returning statements and rows capped. PostgreSQL's own errors become a 400.
import pg from 'pg';
import type { QueryResult } from '../../core/ports/databases.js';
import { DomainError } from '../../domain/errors.js';

const READ_KEYWORDS = ['select', 'with', 'values', 'table', 'show', 'explain'];
const WRAPPABLE = ['select', 'with', 'values', 'table'];

/** The statement without comments and a trailing semicolon, and its first keyword. */
export function readStatement(sql: string): { text: string; keyword: string } {
  const text = sql.replace(/--[^\n]*/g, ' ').replace(/\/\*[\s\S]*?\*\//g, ' ').trim().replace(/;\s*$/, '').trim();
  const keyword = (/^\(*\s*([a-z]+)/i.exec(text)?.[1] ?? '').toLowerCase();
  return { text, keyword };
}

export async function runReadOnlyQuery(client: pg.Client, input: { sql: string; maxRows: number; timeoutMs: number }): Promise<QueryResult> {
  const { text, keyword } = readStatement(input.sql);
  if (!READ_KEYWORDS.includes(keyword)) {
    throw new DomainError('invalid', `sql must be one read-only statement (SELECT, WITH, VALUES, TABLE, SHOW or EXPLAIN); ${keyword ? keyword.toUpperCase() : 'this'} is refused`);
  }
  if (text.includes(';')) throw new DomainError('invalid', 'sql must be a single statement');
  const statement = WRAPPABLE.includes(keyword) ? `SELECT * FROM (${text}\n) AS berth_query LIMIT ${input.maxRows + 1}` : text;
  try {
    await client.query('BEGIN TRANSACTION READ ONLY');
    await client.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.floor(input.timeoutMs))}`);
    const result = await client.query({ text: statement, queryMode: 'extended', rowMode: 'array' } as pg.QueryConfig & { queryMode: 'extended'; rowMode: 'array' });
    const oids = [...new Set(result.fields.map((f) => f.dataTypeID))];
    const types = await client.query<{ oid: number; typname: string }>({ text: 'SELECT oid::int AS oid, typname FROM pg_type WHERE oid = ANY($1::oid[])', values: [oids] });
    const typeName = new Map(types.rows.map((r) => [Number(r.oid), r.typname]));
    const rows = (result.rows as unknown[][]).slice(0, input.maxRows).map((row) => Object.fromEntries(result.fields.map((f, i) => [f.name, row[i] ?? null])));
    return {
      columns: result.fields.map((f) => ({ name: f.name, dataType: typeName.get(f.dataTypeID) ?? String(f.dataTypeID) })),
      rows,
      rowCount: rows.length,
      truncated: result.rows.length > input.maxRows,
    };
  } catch (error) {
    if (error instanceof pg.DatabaseError) throw new DomainError('invalid', `PostgreSQL: ${error.message}`);
    throw error;
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
  }
}
