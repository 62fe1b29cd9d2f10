// Alerts, newest first, open or resolved, with a Resolve button on open ones.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { api, unwrap } from '../api/client';
import { useWorkspaceId } from '../app/session-context';
import { ErrorMessage } from './error-message';
import { StatusBadge } from './status-badge';
import { TimeAgo } from './time-ago';

export function AlertsList({ appId }: { appId?: string }) {
  const wsId = useWorkspaceId();
  const queries = useQueryClient();
  const [show, setShow] = useState<'open' | 'resolved' | 'all'>('open');
  const alerts = useQuery({
    queryKey: ['alerts', wsId, appId ?? null, show],
    queryFn: () => unwrap(api.GET('/api/v1/workspaces/{wsId}/monitoring/alerts', { params: { path: { wsId }, query: { appId, resolved: show === 'all' ? undefined : show === 'resolved', limit: 200 } } })),
    refetchInterval: 15_000,
  });
  const resolve = useMutation({
    mutationFn: (alertId: string) => unwrap(api.PATCH('/api/v1/workspaces/{wsId}/monitoring/alerts/{alertId}/resolve', { params: { path: { wsId, alertId } } })),
    onSuccess: () => void queries.invalidateQueries({ queryKey: ['alerts'] }),
  });
  return (
    <>
      <div className="row">
        <div>
          <label htmlFor="alerts-show">Show</label>
          <select id="alerts-show" value={show} onChange={(e) => setShow(e.target.value as typeof show)}>
            <option value="open">open alerts</option>
            <option value="resolved">resolved alerts</option>
            <option value="all">all alerts</option>
          </select>
        </div>
      </div>
      <ErrorMessage error={alerts.error ?? resolve.error} />
      <table style={{ marginTop: 8 }}>
        <caption className="sr-only">Alerts</caption>
        <thead>
          <tr>
            <th scope="col">Alert</th>
            <th scope="col">Severity</th>
            {appId ? null : <th scope="col">App</th>}
            <th scope="col">Triggered</th>
            <th scope="col">State</th>
          </tr>
        </thead>
        <tbody>
          {(alerts.data ?? []).map((a) => (
            <tr key={a.id}>
              <td>
                <strong>{a.type}</strong>
                <div>{a.message}</div>
              </td>
              <td>
                <StatusBadge status={a.severity} />
              </td>
              {appId ? null : (
                <td>
                  <Link href={`/apps/${a.appId}`}>{a.appName}</Link>
                </td>
              )}
              <td>
                <TimeAgo at={a.triggeredAt} />
              </td>
              <td>
                {a.resolved ? (
                  <StatusBadge status="resolved" />
                ) : (
                  <button type="button" disabled={resolve.isPending} onClick={() => resolve.mutate(a.id)} aria-label={`Resolve ${a.type} alert of ${a.appName}`}>
                    Resolve
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {alerts.data?.length === 0 ? <p>No {show === 'all' ? '' : show} alerts.</p> : null}
    </>
  );
}
