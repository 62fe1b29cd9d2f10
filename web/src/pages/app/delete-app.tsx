// Deleting an app from its page: typing the slug confirms (the delete stops every instance and
// frees the URL), then the apps list, without the app.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useLocation } from 'wouter';
import { api, unwrap } from '../../api/client';
import type { App } from '../../api/types';
import { useWorkspaceId } from '../../app/session-context';
import { ErrorMessage } from '../../components/error-message';

export function DeleteApp({ app }: { app: App }) {
  const wsId = useWorkspaceId();
  const queries = useQueryClient();
  const [, navigate] = useLocation();
  const [typed, setTyped] = useState('');
  const remove = useMutation({
    mutationFn: () => unwrap(api.DELETE('/api/v1/workspaces/{wsId}/apps/{appId}', { params: { path: { wsId, appId: app.id } } })),
    onSuccess: () => {
      queries.removeQueries({ queryKey: ['app', wsId, app.id] });
      void queries.invalidateQueries({ queryKey: ['apps'] });
      navigate('/apps');
    },
  });
  return (
    <form className="card" onSubmit={(e) => { e.preventDefault(); remove.mutate(); }}>
      <h2>Delete the app</h2>
      <p>Deleting stops every instance of {app.name} and its URL stops answering.</p>
      <label htmlFor="delete-confirm">Type {app.slug} to confirm</label>
      <input id="delete-confirm" autoComplete="off" value={typed} onChange={(e) => setTyped(e.target.value)} />
      <ErrorMessage error={remove.error} />
      <p>
        <button type="submit" className="danger" disabled={typed !== app.slug || remove.isPending}>
          {remove.isPending ? 'Deleting…' : `Delete ${app.name}`}
        </button>
      </p>
    </form>
  );
}
