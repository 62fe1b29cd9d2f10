// Keyset cursors: the sort values of one row plus a fingerprint of the query they belong to, so
// a cursor from another query (other filter, order or scope) is refused instead of paging wrongly.
import { createHash } from 'node:crypto';

export interface KeysetCursor {
  readonly query: string;
  readonly values: readonly (string | null)[];
}

/** A short digest of whatever identifies the query (filter, order, scope). */
export const queryFingerprint = (query: unknown): string => createHash('sha256').update(JSON.stringify(query)).digest('base64url').slice(0, 16);

export const encodeCursor = (cursor: KeysetCursor): string => Buffer.from(JSON.stringify([cursor.query, ...cursor.values])).toString('base64url');

/** The cursor, or null when the text is not one of ours. */
export function decodeCursor(text: string): KeysetCursor | null {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(parsed) || typeof parsed[0] !== 'string') return null;
    const values = parsed.slice(1) as unknown[];
    if (!values.every((v) => v === null || typeof v === 'string')) return null;
    return { query: parsed[0], values: values as (string | null)[] };
  } catch {
    // Not base64 JSON: not a cursor.
    return null;
  }
}
