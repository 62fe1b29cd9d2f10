// The databases attached to an app, and how each reaches it (a secret env var, SQLITE also a
// mounted volume). Attach and detach change the app at its next deploy, not the running revision.
import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { api, unwrap } from '../../api/client';
import type { App } from '../../api/types';
import { useWorkspaceId } from '../../app/session-context';
import { ErrorMessage } from '../../components/error-message';
import { StatusBadge } from '../../components/status-badge';
import { TimeAgo } from '../../components/time-ago';

export function DatabasesTab({ app }: { app: App }) {
  const wsId = useWorkspaceId();
  const databases = useQuery({
    queryKey: ['app-databases', wsId, app.id],
    queryFn: () => unwrap(api.GET('/api/v1/workspaces/{wsId}/apps/{appId}/databases', { params: { path: { wsId, appId: app.id } } })),
  });
  return (
    <div className="card">
      <h2>Attached databases</h2>
      <ErrorMessage error={databases.error} />
      {databases.isPending ? <p role="status">Loading the app's databases…</p> : null}
      {databases.data && databases.data.length > 0 ? (
        <table>
          <caption className="sr-only">Databases attached to {app.name}</caption>
          <thead>
            <tr>
              <th scope="col">Database</th>
              <th scope="col">Engine</th>
              <th scope="col">Status</th>
              <th scope="col">Injected as</th>
              <th scope="col">Mounted at</th>
              <th scope="col">Attached</th>
            </tr>
          </thead>
          <tbody>
            {databases.data.map((d) => (
              <tr key={d.databaseId}>
                <td>
                  <Link href={`/databases/${d.databaseId}`}>{d.name}</Link>
                  <div className="muted">{d.slug}</div>
                </td>
                <td>{d.engine}</td>
                <td>
                  <StatusBadge status={d.status} />
                </td>
                <td>
                  <code>{d.secretName}</code> <span className="muted">(secret env var)</span>
                </td>
                <td>{d.mountPath ? <code>{d.mountPath}</code> : <span className="muted">–</span>}</td>
                <td>
                  <TimeAgo at={d.createdAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {databases.data?.length === 0 ? <p>No database is attached to {app.name}.</p> : null}
      <p className="muted">
        Attach or detach a database from its page under <Link href="/databases">Databases</Link>. Either takes effect at the app's next deploy.
      </p>
    </div>
  );
}
