// Read-only SQL on a POSTGRES database (client-contract.md). The engine makes it read-only by
// construction (a role that cannot write, a READ ONLY transaction, statement_timeout, a LIMIT);
// here: who may, the row cap, and an audit entry per call (who, what SQL, how many rows, how long).
import { databaseLimits } from '../../domain/database.js';
import { refuse } from '../../domain/errors.js';
import type { QueryResult } from '../ports/databases.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Deps } from '../deps.js';
import { findDatabase, requireRunning, type DatabaseRef } from './find-database.js';

const MAX_SQL_LENGTH = 100_000;

export async function queryDatabase(
  deps: Pick<Deps, 'store' | 'clock' | 'ids' | 'databaseEngines' | 'settings'>,
  input: DatabaseRef & { sql: string; maxRows?: number | undefined },
): Promise<QueryResult & { durationMs: number }> {
  const database = await findDatabase(deps, input, 'databases:query');
  const { min, max } = databaseLimits.maxRows;
  refuse(
    [
      input.sql.trim() === '' ? 'sql must not be empty' : null,
      input.sql.length > MAX_SQL_LENGTH ? `sql must be at most ${MAX_SQL_LENGTH} characters` : null,
      input.maxRows !== undefined && (!Number.isInteger(input.maxRows) || input.maxRows < min || input.maxRows > max) ? `maxRows must be an integer from ${min} to ${max}` : null,
      database.engine !== 'POSTGRES' ? `query is available for POSTGRES databases only, not ${database.engine}` : null,
    ].filter((p): p is string => p !== null),
  );
  requireRunning(database);
  const maxRows = Math.min(input.maxRows ?? deps.settings.databases.maxQueryRows, deps.settings.databases.maxQueryRows);
  const started = deps.clock.now().getTime();
  let result: QueryResult | null = null;
  let failure: string | null = null;
  try {
    result = await deps.databaseEngines.query(database, { sql: input.sql, maxRows, timeoutMs: deps.settings.databases.queryTimeoutMs });
    return { ...result, durationMs: deps.clock.now().getTime() - started };
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
    throw error;
  } finally {
    await recordAudit(deps, {
      actor: input.actor,
      workspaceId: input.workspaceId,
      action: 'database.query',
      targetType: 'database',
      targetId: database.id,
      detail: { sql: input.sql.slice(0, 2000), rows: result?.rowCount ?? 0, durationMs: deps.clock.now().getTime() - started, error: failure },
    });
  }
}
