// `berth databases query <db> "<sql>"`: read-only SQL on a POSTGRES database, printed as a table
// (the server refuses writes, adds a LIMIT and caps the rows; each call is audited).
import type { Command } from 'commander';
import { unwrap } from '../api-client.js';
import type { CommandContext, JsonOption } from '../context.js';
import { CliError, exitCodes } from '../exit-codes.js';
import { note, printJson, printTable } from '../output.js';

/** NULL as psql users read it; json and arrays as JSON. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function registerDatabaseQuery(databases: Command, context: CommandContext): void {
  databases
    .command('query')
    .description('run read-only SQL on a POSTGRES database and print the rows')
    .argument('<db>', "the database's slug or id")
    .argument('<sql>', 'one read-only statement (SELECT, WITH, VALUES, TABLE, SHOW or EXPLAIN)')
    .option('--max-rows <n>', 'return at most this many rows (the server caps it too)')
    .option('--json', 'print the API answer as JSON')
    .action(async (dbRef: string, sql: string, options: { maxRows?: string } & JsonOption) => {
      if (options.maxRows !== undefined && !/^\d+$/.test(options.maxRows)) throw new CliError(`--max-rows: not a whole number: ${options.maxRows}`, exitCodes.usage);
      const { api, workspaceId: wsId } = await context.connect();
      const answer = await unwrap(
        api.POST('/api/v1/workspaces/{wsId}/databases/{dbId}/query', {
          params: { path: { wsId, dbId: dbRef } },
          body: { sql, ...(options.maxRows !== undefined ? { maxRows: Number(options.maxRows) } : {}) },
        }),
      );
      if (options.json) return printJson(answer);
      const names = answer.columns.map((c) => c.name);
      printTable(names, answer.rows.map((row) => names.map((name) => cellText(row[name]))));
      note(`(${answer.rowCount} row${answer.rowCount === 1 ? '' : 's'}${answer.truncated ? '; more matched: raise --max-rows or narrow the query' : ''})`);
      return undefined;
    });
}
