// Deleting a database from its page: typing the slug confirms (its data and backups go with it,
// for good, and attached apps lose their connection variable), then the databases list, without it.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useLocation } from 'wouter';
import { api, unwrap } from '../../api/client';
import type { Database } from '../../api/types';
import { useWorkspaceId } from '../../app/session-context';
import { ErrorMessage } from '../../components/error-message';

export function DeleteDatabase({ database }: { database: Database }) {
  const wsId = useWorkspaceId();
  const queries = useQueryClient();
  const [, navigate] = useLocation();
  const [typed, setTyped] = useState('');
  const remove = useMutation({
    mutationFn: () => unwrap(api.DELETE('/api/v1/workspaces/{wsId}/databases/{dbId}', { params: { path: { wsId, dbId: database.id } } })),
    onSuccess: () => {
      queries.removeQueries({ queryKey: ['database', wsId, database.id] });
      void queries.invalidateQueries({ queryKey: ['databases'] });
      void queries.invalidateQueries({ queryKey: ['app-databases'] });
      navigate('/databases');
    },
  });
  return (
    <form className="card" onSubmit={(e) => { e.preventDefault(); remove.mutate(); }}>
      <h2>Delete the database</h2>
      <p>Deleting {database.name} removes all its data and its backups permanently; apps attached to it can no longer reach it, and their connection variable is removed.</p>
      <label htmlFor="delete-database-confirm">Type {database.slug} to confirm</label>
      <input id="delete-database-confirm" autoComplete="off" value={typed} onChange={(e) => setTyped(e.target.value)} />
      <ErrorMessage error={remove.error} />
      <p>
        <button type="submit" className="danger" disabled={typed !== database.slug || remove.isPending}>
          {remove.isPending ? 'Deleting…' : `Delete ${database.name}`}
        </button>
      </p>
    </form>
  );
}
