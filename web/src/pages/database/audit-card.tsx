// A database's audit trail, newest first: what was done, by which key (or Berth), when, and the
// detail; a query's SQL shows only to keys with databases:query, others are told it is hidden.
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import { auditQueryKey } from '../../api/database-queries';
import type { Database } from '../../api/types';
import { useWorkspaceId } from '../../app/session-context';
import { ErrorMessage } from '../../components/error-message';
import { TimeAgo } from '../../components/time-ago';
import { auditActionText, auditDetailText, SQL_HIDDEN } from './audit-words';

const NEWEST = 50;

export function AuditCard({ database }: { database: Database }) {
  const wsId = useWorkspaceId();
  const audit = useQuery({
    queryKey: auditQueryKey(wsId, database.id),
    queryFn: () => unwrap(api.GET('/api/v1/workspaces/{wsId}/databases/{dbId}/audit', { params: { path: { wsId, dbId: database.id }, query: { limit: NEWEST } } })),
    refetchInterval: 15_000,
  });
  return (
    <div className="card">
      <h2>Audit trail</h2>
      <ErrorMessage error={audit.error} />
      {audit.isPending ? <p role="status">Loading the audit trail…</p> : null}
      {audit.data && audit.data.length > 0 ? (
        <table>
          <caption className="sr-only">Audit trail of {database.name}</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
              <th scope="col">Detail</th>
            </tr>
          </thead>
          <tbody>
            {audit.data.map((entry) => (
              <tr key={entry.id}>
                <td>
                  <TimeAgo at={entry.createdAt} />
                </td>
                <td>{entry.actor === null ? 'Berth' : (entry.actor.name ?? `${entry.actor.keyId} (deleted key)`)}</td>
                <td>{auditActionText(entry.action)}</td>
                <td>
                  {auditDetailText(entry).map((line, i) =>
                    line === SQL_HIDDEN ? (
                      <div key={i} className="muted">
                        {line}
                      </div>
                    ) : (
                      <div key={i}>{i === 0 && entry.action === 'database.query' ? <code>{line}</code> : line}</div>
                    ),
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {audit.data?.length === 0 ? <p>Nothing done to it yet.</p> : null}
      {audit.data?.length === NEWEST ? <p className="muted">The {NEWEST} newest entries (GET …/audit?before= pages further).</p> : null}
    </div>
  );
}
