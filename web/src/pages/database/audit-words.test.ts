// Audit entries in the console's words: a query's SQL hidden from keys without databases:query is
// said to be hidden, and nothing recorded is shown as "null" or "[object Object]".
import { describe, expect, it } from 'vitest';
import { auditDetailText, SQL_HIDDEN } from './audit-words';

describe('audit entries in words', () => {
  it("shows a query's SQL, or that it is hidden, with rows, time and error", () => {
    expect(auditDetailText({ action: 'database.query', detail: { sql: 'SELECT 1', rows: 1, durationMs: 3, error: null } })).toEqual(['SELECT 1', '1 rows, 3 ms']);
    const hidden = auditDetailText({ action: 'database.query', detail: { sql: null, rows: 0, durationMs: 2, error: 'hidden: the SQL and its error need databases:query' } });
    expect(hidden).toEqual([SQL_HIDDEN, '0 rows, 2 ms', 'failed (its error is hidden too)']);
    expect(auditDetailText({ action: 'database.query', detail: { sql: 'SELECT nope', rows: 0, error: 'column "nope" does not exist' } })).toEqual(['SELECT nope', '0 rows', 'failed: column "nope" does not exist']);
    expect(SQL_HIDDEN).toBe('SQL hidden (needs databases:query)');
  });

  it('never shows null or an object for what an entry lacks', () => {
    const entries = [
      { action: 'database.query', detail: null },
      { action: 'database.attach', detail: { envKey: 'DATABASE_URL', mountPath: null } },
      { action: 'database.restart', detail: { engine: 'POSTGRES', failedWith: null } },
      { action: 'database.backup', detail: { backupId: { odd: true } } },
      { action: 'database.fail', detail: {} },
      { action: 'something.new', detail: { x: 1 } },
    ];
    const words = entries.flatMap(auditDetailText).join(' ');
    expect(words).not.toMatch(/null|undefined|\[object/);
    expect(auditDetailText(entries[1] as (typeof entries)[number])).toEqual(['as DATABASE_URL']);
  });
});
