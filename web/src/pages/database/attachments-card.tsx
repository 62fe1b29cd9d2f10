// The apps a database is attached to: attach one (SQLITE: where its volume is mounted), detach
// one (the data stays). Both take effect at the app's next deploy, as the API injects them then.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { api, unwrap } from '../../api/client';
import { useAppChoices } from '../../api/database-queries';
import type { Database } from '../../api/types';
import { useWorkspaceId } from '../../app/session-context';
import { ErrorMessage } from '../../components/error-message';
import { TimeAgo } from '../../components/time-ago';

export function AttachmentsCard({ database }: { database: Database }) {
  const wsId = useWorkspaceId();
  const queries = useQueryClient();
  const dbId = database.id;
  const apps = useAppChoices();
  const attachments = useQuery({
    queryKey: ['database-attachments', wsId, dbId],
    queryFn: () => unwrap(api.GET('/api/v1/workspaces/{wsId}/databases/{dbId}/attachments', { params: { path: { wsId, dbId } } })),
  });
  const changed = (appId: string) => {
    void queries.invalidateQueries({ queryKey: ['database-attachments', wsId, dbId] });
    void queries.invalidateQueries({ queryKey: ['app-databases', wsId, appId] });
    void queries.invalidateQueries({ queryKey: ['app', wsId, appId] });
  };
  const [appId, setAppId] = useState('');
  const [mountPath, setMountPath] = useState('');
  const attach = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/workspaces/{wsId}/databases/{dbId}/attachments', { params: { path: { wsId, dbId } }, body: { appId, ...(mountPath ? { mountPath } : {}) } })),
    onSuccess: (made) => {
      setAppId('');
      setMountPath('');
      changed(made.appId);
    },
  });
  const detach = useMutation({
    mutationFn: (target: string) => unwrap(api.DELETE('/api/v1/workspaces/{wsId}/databases/{dbId}/attachments/{appId}', { params: { path: { wsId, dbId, appId: target } } })),
    onSuccess: (_, target) => changed(target),
  });
  const appName = (id: string) => apps.data?.data.find((a) => a.id === id)?.name ?? id;
  const attached = new Set((attachments.data ?? []).map((a) => a.appId));
  const choices = (apps.data?.data ?? []).filter((a) => !attached.has(a.id));
  // The API answers 409 for a second app: say why before anyone picks one.
  const holder = database.engine === 'SQLITE' ? attachments.data?.[0] : undefined;
  const heldBy = holder ? `An SQLITE database is written by one app only: ${database.name} is attached to ${appName(holder.appId)}. Detach it there to attach it to another app.` : null;
  return (
    <div className="card">
      <h2>Attached apps</h2>
      <ErrorMessage error={attachments.error ?? apps.error ?? detach.error} />
      {attachments.isPending ? <p role="status">Loading the attached apps…</p> : null}
      {attachments.data && attachments.data.length > 0 ? (
        <table>
          <caption className="sr-only">Apps {database.name} is attached to</caption>
          <thead>
            <tr>
              <th scope="col">App</th>
              <th scope="col">Injected as</th>
              {database.engine === 'SQLITE' ? <th scope="col">Mounted at</th> : null}
              <th scope="col">Attached</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {attachments.data.map((a) => (
              <tr key={a.appId}>
                <td>
                  <Link href={`/apps/${a.appId}/databases`}>{appName(a.appId)}</Link>
                </td>
                <td>
                  <code>{a.secretName}</code>
                </td>
                {database.engine === 'SQLITE' ? (
                  <td>
                    <code>{a.mountPath}</code>
                  </td>
                ) : null}
                <td>
                  <TimeAgo at={a.createdAt} />
                </td>
                <td>
                  <button type="button" disabled={detach.isPending} onClick={() => detach.mutate(a.appId)} aria-label={`Detach from ${appName(a.appId)}`}>
                    Detach
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {attachments.data?.length === 0 ? <p>Not attached to any app.</p> : null}
      {database.status === 'RUNNING' ? (
        <form onSubmit={(e) => { e.preventDefault(); attach.mutate(); }}>
          <div className="row">
            <div>
              <label htmlFor="attach-app">App to attach to</label>
              <select id="attach-app" required value={appId} onChange={(e) => setAppId(e.target.value)} disabled={heldBy !== null} aria-describedby={heldBy ? 'attach-held-by' : undefined}>
                <option value="">choose an app</option>
                {choices.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name} ({a.slug})
                  </option>
                ))}
              </select>
            </div>
            {database.engine === 'SQLITE' ? (
              <div>
                <label htmlFor="attach-mount-path">Mount path (empty: /var/lib/dooor/sqlite)</label>
                <input id="attach-mount-path" maxLength={500} value={mountPath} onChange={(e) => setMountPath(e.target.value)} placeholder="/var/lib/dooor/sqlite" />
              </div>
            ) : null}
            <button type="submit" className="primary" disabled={attach.isPending || heldBy !== null}>
              {attach.isPending ? 'Attaching…' : 'Attach'}
            </button>
          </div>
          {heldBy ? (
            <p className="notice" id="attach-held-by">
              {heldBy}
            </p>
          ) : null}
          <ErrorMessage error={attach.error} />
          <p className="muted">
            Attaching and detaching take effect at the app's next deploy.
            {database.engine === 'SQLITE' ? ' An app with an SQLITE database runs one replica.' : ''}
          </p>
        </form>
      ) : (
        <p className="muted">Apps can be attached once the database runs.</p>
      )}
    </div>
  );
}
