// Read-only SQL on a POSTGRES database: the API refuses writes and DDL (its words are shown), adds
// a LIMIT when there is none and caps the rows; every run is audited. Ctrl+Enter runs too.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { KeyboardEvent } from 'react';
import { api, unwrap } from '../../api/client';
import { auditQueryKey } from '../../api/database-queries';
import type { Database, QueryResult } from '../../api/types';
import { useWorkspaceId } from '../../app/session-context';
import { ErrorMessage } from '../../components/error-message';

export function QueryRunner({ database }: { database: Database }) {
  const wsId = useWorkspaceId();
  const queries = useQueryClient();
  const [sql, setSql] = useState('');
  const [maxRows, setMaxRows] = useState('100');
  const run = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/workspaces/{wsId}/databases/{dbId}/query', { params: { path: { wsId, dbId: database.id } }, body: { sql, maxRows: Number(maxRows) } })),
    // Every run is audited, refused ones too.
    onSettled: () => void queries.invalidateQueries({ queryKey: auditQueryKey(wsId, database.id) }),
  });
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      event.currentTarget.form?.requestSubmit();
    }
  };
  if (database.status !== 'RUNNING') return null;
  return (
    <form className="card" onSubmit={(e) => { e.preventDefault(); run.mutate(); }}>
      <h2>Query (read-only)</h2>
      <label htmlFor="query-sql">SQL (SELECT, WITH, SHOW, EXPLAIN; Ctrl+Enter runs)</label>
      <textarea id="query-sql" required rows={5} spellCheck={false} value={sql} onChange={(e) => setSql(e.target.value)} onKeyDown={onKeyDown} />
      <div className="row">
        <div>
          <label htmlFor="query-max-rows">Max rows</label>
          <input id="query-max-rows" type="number" required min={1} max={50_000} value={maxRows} onChange={(e) => setMaxRows(e.target.value)} />
        </div>
        <button type="submit" className="primary" disabled={run.isPending}>
          {run.isPending ? 'Running…' : 'Run query'}
        </button>
      </div>
      <ErrorMessage error={run.error} />
      {run.data && !run.isPending ? <QueryResults result={run.data} /> : null}
    </form>
  );
}

const cell = (value: unknown) => {
  if (value === null || value === undefined) return <span className="muted">NULL</span>;
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
};

function QueryResults({ result }: { result: QueryResult }) {
  return (
    <>
      <p role="status">
        {result.rowCount} {result.rowCount === 1 ? 'row' : 'rows'} in {result.durationMs} ms
        {result.truncated ? ' (more rows matched than were returned)' : ''}
      </p>
      <div style={{ overflow: 'auto', maxHeight: 480 }}>
        <table>
          <caption className="sr-only">Query results</caption>
          <thead>
            <tr>
              {result.columns.map((c, i) => (
                <th scope="col" key={i} title={c.dataType}>
                  {c.name} <span className="muted">{c.dataType}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {result.rows.map((row, r) => (
              <tr key={r}>
                {result.columns.map((c, i) => (
                  <td key={i}>{cell(row[c.name])}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
