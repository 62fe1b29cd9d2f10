// Backups of a database, newest first: take one now, or restore one (after a second press that
// says what is lost: every write since that backup).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import type { Database, DatabaseBackup } from '../../api/types';
import { useWorkspaceId } from '../../app/session-context';
import { ErrorMessage } from '../../components/error-message';
import { TimeAgo } from '../../components/time-ago';

const sizeText = (bytes: number) => (bytes < 1024 ? `${bytes} B` : bytes < 1024 ** 2 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1024 ** 2).toFixed(1)} MiB`);

export function BackupsCard({ database }: { database: Database }) {
  const wsId = useWorkspaceId();
  const queries = useQueryClient();
  const path = { wsId, dbId: database.id };
  const backups = useQuery({ queryKey: ['database-backups', wsId, database.id], queryFn: () => unwrap(api.GET('/api/v1/workspaces/{wsId}/databases/{dbId}/backups', { params: { path } })) });
  const refresh = () => void queries.invalidateQueries({ queryKey: ['database-backups', wsId, database.id] });
  const take = useMutation({ mutationFn: () => unwrap(api.POST('/api/v1/workspaces/{wsId}/databases/{dbId}/backups', { params: { path } })), onSuccess: refresh });
  const [confirming, setConfirming] = useState<string | null>(null);
  const restore = useMutation({
    mutationFn: (backupId: string) => unwrap(api.POST('/api/v1/workspaces/{wsId}/databases/{dbId}/backups/{backupId}/restore', { params: { path: { ...path, backupId } } })),
    onSettled: () => setConfirming(null),
  });
  const running = database.status === 'RUNNING';
  return (
    <div className="card">
      <h2>Backups</h2>
      <ErrorMessage error={backups.error ?? take.error ?? restore.error} />
      {backups.isPending ? <p role="status">Loading the backups…</p> : null}
      {restore.data ? (
        <div className="notice" role="status">
          Restored the backup of {new Date(restore.data.createdAt).toLocaleString()}.
        </div>
      ) : null}
      {backups.data && backups.data.length > 0 ? (
        <table>
          <caption className="sr-only">Backups of {database.name}</caption>
          <thead>
            <tr>
              <th scope="col">Taken</th>
              <th scope="col">Size</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {backups.data.map((b) => (
              <tr key={b.id}>
                <td>
                  <TimeAgo at={b.createdAt} /> <span className="muted">{new Date(b.createdAt).toLocaleString()}</span>
                </td>
                <td>{sizeText(b.sizeBytes)}</td>
                <td>{running ? <RestoreControls backup={b} confirming={confirming === b.id} busy={restore.isPending} onAsk={() => setConfirming(b.id)} onCancel={() => setConfirming(null)} onRestore={() => restore.mutate(b.id)} /> : null}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {backups.data?.length === 0 ? <p>No backups yet.</p> : null}
      {running ? (
        <p>
          <button type="button" disabled={take.isPending} onClick={() => take.mutate()}>
            {take.isPending ? 'Backing up…' : 'Back up now'}
          </button>
        </p>
      ) : null}
    </div>
  );
}

function RestoreControls(props: { backup: DatabaseBackup; confirming: boolean; busy: boolean; onAsk(): void; onCancel(): void; onRestore(): void }) {
  const when = new Date(props.backup.createdAt).toLocaleString();
  if (!props.confirming)
    return (
      <button type="button" disabled={props.busy} onClick={props.onAsk} aria-label={`Restore the backup of ${when}`}>
        Restore…
      </button>
    );
  return (
    <span className="row">
      <span>Every write since {when} is lost.</span>
      <button type="button" className="danger" disabled={props.busy} onClick={props.onRestore}>
        {props.busy ? 'Restoring…' : 'Restore it'}
      </button>
      <button type="button" disabled={props.busy} onClick={props.onCancel}>
        Cancel
      </button>
    </span>
  );
}
