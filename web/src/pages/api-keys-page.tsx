// The workspace's API keys: who holds what scopes, when each was last used; make one (its
// secret is shown once), revoke one. Revoking the key this tab signed in with ends the session.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { api, unwrap } from '../api/client';
import type { paths } from '../api/openapi';
import { useWorkspaceId } from '../app/session-context';
import { ErrorMessage } from '../components/error-message';
import { TimeAgo } from '../components/time-ago';

type Scope = NonNullable<paths['/api/v1/workspaces/{wsId}/api-keys']['post']['requestBody']>['content']['application/json']['scopes'][number];

/** Every scope the API accepts (a Record, so a new scope does not compile until it is listed here). */
const scopeWords: Record<Scope, string> = {
  'apps:read': 'read apps',
  'apps:write': 'create, change and delete apps',
  'deploy:read': 'read deployments and revisions',
  'deploy:write': 'deploy, scale, roll back, split traffic',
  'env-vars:read': 'read env vars (secrets masked)',
  'env-vars:write': 'change env vars',
  'monitoring:read': 'read logs, metrics, health, alerts',
  'monitoring:write': 'resolve alerts',
  'api-keys:read': 'list API keys',
  'api-keys:write': 'create and revoke API keys',
  'git:read': 'read git connections',
  'git:write': 'change git connections',
  'databases:read': 'read databases',
  'databases:write': 'create, change and delete databases',
  'databases:query': 'run queries on databases',
};
const allScopes = Object.keys(scopeWords) as Scope[];

export function ApiKeysPage() {
  const wsId = useWorkspaceId();
  const queries = useQueryClient();
  const keys = useQuery({ queryKey: ['api-keys', wsId], queryFn: () => unwrap(api.GET('/api/v1/workspaces/{wsId}/api-keys', { params: { path: { wsId } } })) });
  const me = useQuery({ queryKey: ['whoami', wsId], queryFn: () => unwrap(api.GET('/api/v1/api-keys/whoami')) });
  const refresh = () => void queries.invalidateQueries({ queryKey: ['api-keys', wsId] });
  const [name, setName] = useState('');
  const [chosen, setChosen] = useState<Scope[]>([]);
  const [expiresAt, setExpiresAt] = useState('');
  const create = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/workspaces/{wsId}/api-keys', { params: { path: { wsId } }, body: { name, scopes: chosen, ...(expiresAt ? { expiresAt: new Date(expiresAt).toISOString() } : {}) } })),
    onSuccess: () => {
      setName('');
      setChosen([]);
      setExpiresAt('');
      refresh();
    },
  });
  const revoke = useMutation({ mutationFn: (keyId: string) => unwrap(api.DELETE('/api/v1/workspaces/{wsId}/api-keys/{keyId}', { params: { path: { wsId, keyId } } })), onSuccess: refresh });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <>
      <h1>API keys</h1>
      <ErrorMessage error={keys.error ?? revoke.error} />
      <table>
        <caption className="sr-only">API keys of the workspace</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Key</th>
            <th scope="col">Scopes</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">Expires</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {(keys.data ?? []).map((k) => (
            <tr key={k.id}>
              <td>
                {k.name}
                {k.id === me.data?.keyId ? <div className="muted">this browser tab signed in with it</div> : null}
              </td>
              <td>
                <code>{k.keyPrefix}…</code>
              </td>
              <td>{k.scopes.join(', ')}</td>
              <td>
                <TimeAgo at={k.createdAt} />
              </td>
              <td>
                <TimeAgo at={k.lastUsedAt} />
              </td>
              <td>{k.expiresAt ? new Date(k.expiresAt).toLocaleString() : 'never'}</td>
              <td>
                <button type="button" className="danger" disabled={revoke.isPending} onClick={() => revoke.mutate(k.id)} aria-label={`Revoke ${k.name} (${k.keyPrefix})`}>
                  {k.id === me.data?.keyId ? 'Revoke (signs you out)' : 'Revoke'}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="card" onSubmit={submit}>
        <h2>New key</h2>
        <div className="row">
          <div>
            <label htmlFor="key-name">Name</label>
            <input id="key-name" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
          </div>
          <div>
            <label htmlFor="key-expires">Expires (optional, your time zone)</label>
            <input id="key-expires" type="datetime-local" value={expiresAt} onChange={(e) => setExpiresAt(e.target.value)} />
          </div>
        </div>
        <fieldset style={{ marginTop: 12 }}>
          <legend>Scopes</legend>
          {allScopes.map((scope) => (
            <label className="inline" key={scope} style={{ display: 'block' }}>
              <input type="checkbox" checked={chosen.includes(scope)} onChange={(e) => setChosen((all) => (e.target.checked ? [...all, scope] : all.filter((s) => s !== scope)))} /> <code>{scope}</code> {scopeWords[scope]}
            </label>
          ))}
        </fieldset>
        <ErrorMessage error={create.error} />
        {create.data ? (
          <div className="notice" role="status">
            Key {create.data.name} made. Copy it now, it is shown once: <code>{create.data.key}</code>
          </div>
        ) : null}
        <p>
          <button type="submit" className="primary" disabled={create.isPending || chosen.length === 0}>
            {create.isPending ? 'Creating…' : 'Create key'}
          </button>
        </p>
      </form>
    </>
  );
}
