// Share links (for private apps; revoking one is asked first) and the push webhook (its secret is
// shown once, when made). A worker or cron app takes no requests: no form to share it, only why.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { noHttpNote, takesHttp } from '../../api/app-kind';
import type { App } from '../../api/types';
import { useWorkspaceId } from '../../app/session-context';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { ErrorMessage } from '../../components/error-message';
import { TimeAgo } from '../../components/time-ago';

export function SharingTab({ app }: { app: App }) {
  const wsId = useWorkspaceId();
  const queries = useQueryClient();
  const path = { wsId, appId: app.id };
  const shares = useQuery({ queryKey: ['shares', wsId, app.id], queryFn: () => unwrap(api.GET('/api/v1/workspaces/{wsId}/apps/{appId}/public-shares', { params: { path } })) });
  const refresh = () => void queries.invalidateQueries({ queryKey: ['shares', wsId, app.id] });
  const [expiresAt, setExpiresAt] = useState('');
  const [requireAuth, setRequireAuth] = useState(false);
  const [revoking, setRevoking] = useState<{ id: string; url: string } | null>(null);
  const create = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/workspaces/{wsId}/apps/{appId}/public-shares', { params: { path }, body: { requireAuth, ...(expiresAt ? { expiresAt: new Date(expiresAt).toISOString() } : {}) } })),
    onSuccess: refresh,
  });
  const remove = useMutation({ mutationFn: (shareId: string) => unwrap(api.DELETE('/api/v1/workspaces/{wsId}/apps/{appId}/public-shares/{shareId}', { params: { path: { ...path, shareId } } })), onSuccess: refresh });
  const webhook = useMutation({ mutationFn: () => unwrap(api.POST('/api/v1/workspaces/{wsId}/apps/{appId}/webhook', { params: { path } })) });
  return (
    <>
      <div className="card">
        <h2>Share links</h2>
        <p className="muted">A share link opens a private app without an API key.</p>
        {takesHttp(app.type) ? null : <p className="notice">{noHttpNote(app)} A share link would open nothing.</p>}
        <ErrorMessage error={shares.error ?? remove.error} />
        <table>
          <caption className="sr-only">Share links</caption>
          <thead>
            <tr>
              <th scope="col">Link</th>
              <th scope="col">Expires</th>
              <th scope="col">Needs a key too</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {(shares.data ?? []).map((s) => (
              <tr key={s.id}>
                <td>
                  <a href={s.url} target="_blank" rel="noreferrer">
                    {s.url}
                  </a>
                </td>
                <td>{s.expiresAt ? new Date(s.expiresAt).toLocaleString() : 'never'}</td>
                <td>{s.requireAuth ? 'yes' : 'no'}</td>
                <td>
                  <button type="button" className="danger" onClick={() => setRevoking(s)} aria-label={`Revoke share link created ${s.createdAt}`}>
                    Revoke
                  </button>
                  <div className="muted">
                    created <TimeAgo at={s.createdAt} />
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {takesHttp(app.type) ? (
          <form className="row" onSubmit={(e) => { e.preventDefault(); create.mutate(); }}>
            <div>
              <label htmlFor="share-expires">Expires (optional)</label>
              <input id="share-expires" type="datetime-local" value={expiresAt} onChange={(e) => setExpiresAt(e.target.value)} />
            </div>
            <label className="inline">
              <input type="checkbox" checked={requireAuth} onChange={(e) => setRequireAuth(e.target.checked)} /> Viewer needs a workspace key too
            </label>
            <button type="submit" disabled={create.isPending}>
              {create.isPending ? 'Creating…' : 'Create share link'}
            </button>
          </form>
        ) : null}
        <ErrorMessage error={create.error} />
        {revoking ? (
          <ConfirmDialog
            title="Revoke this share link?"
            confirmLabel="Revoke link"
            onCancel={() => setRevoking(null)}
            onConfirm={() => {
              remove.mutate(revoking.id);
              setRevoking(null);
            }}
          >
            <p>
              <code>{revoking.url}</code> stops working: it no longer opens {app.name} without an API key.
            </p>
          </ConfirmDialog>
        ) : null}
      </div>
      <div className="card">
        <h2>Push webhook</h2>
        <p>
          Auto-deploy is <strong>{app.autoDeploy ? 'on' : 'off'}</strong>. Creating a webhook makes a new secret (the old one stops working); give the URL and the secret to your git host (content type application/json).
        </p>
        <button type="button" disabled={webhook.isPending} onClick={() => webhook.mutate()}>
          {webhook.isPending ? 'Creating…' : 'Create or rotate the webhook'}
        </button>
        <ErrorMessage error={webhook.error} />
        {webhook.data ? (
          <dl className="facts" role="status" style={{ marginTop: 12 }}>
            <dt>URL</dt>
            <dd>
              <code>{webhook.data.url}</code>
            </dd>
            <dt>Secret (shown once)</dt>
            <dd>
              <code>{webhook.data.secret}</code>
            </dd>
            <dt>Events</dt>
            <dd>{webhook.data.events.join(', ')}</dd>
          </dl>
        ) : null}
      </div>
    </>
  );
}
