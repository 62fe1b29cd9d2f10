// Env vars: secrets masked (as the API answers them), add, delete (asked first), bulk paste of a
// .env file, and sync, which rolls the app onto a new revision with the current values.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useLocation } from 'wouter';
import { api, unwrap } from '../../api/client';
import type { App } from '../../api/types';
import { useWorkspaceId } from '../../app/session-context';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { ErrorMessage } from '../../components/error-message';
import { parseDotenv } from '../../upload/dotenv';

/** Lines of a paste that were not read, so nothing is dropped without a word. */
const unreadNote = (lines: number[]) => (lines.length === 0 ? '' : `; ${lines.length === 1 ? 'line' : 'lines'} ${lines.join(', ')} not read (not KEY=value)`);

export function EnvTab({ app }: { app: App }) {
  const wsId = useWorkspaceId();
  const queries = useQueryClient();
  const [, navigate] = useLocation();
  const path = { wsId, appId: app.id };
  const vars = useQuery({ queryKey: ['env', wsId, app.id], queryFn: () => unwrap(api.GET('/api/v1/workspaces/{wsId}/apps/{appId}/env-vars', { params: { path } })) });
  const refresh = () => void queries.invalidateQueries({ queryKey: ['env', wsId, app.id] });
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const [isSecret, setIsSecret] = useState(false);
  const [bulk, setBulk] = useState('');
  const [bulkSecret, setBulkSecret] = useState(false);
  const [deleting, setDeleting] = useState<{ id: string; key: string } | null>(null);
  const add = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/workspaces/{wsId}/apps/{appId}/env-vars', { params: { path }, body: { key, value, isSecret } })),
    onSuccess: () => {
      setKey('');
      setValue('');
      refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (envVarId: string) => unwrap(api.DELETE('/api/v1/workspaces/{wsId}/apps/{appId}/env-vars/{envVarId}', { params: { path: { ...path, envVarId } } })),
    onSuccess: refresh,
  });
  const importBulk = useMutation({
    mutationFn: async () => {
      const parsed = parseDotenv(bulk);
      if (parsed.entries.length === 0) throw new Error(`No KEY=value lines found in the pasted text${unreadNote(parsed.unreadLines)}`);
      const saved = await unwrap(api.POST('/api/v1/workspaces/{wsId}/apps/{appId}/env-vars/bulk', { params: { path }, body: { vars: parsed.entries.map((v) => ({ ...v, isSecret: bulkSecret })) } }));
      return { saved: saved.length, unreadLines: parsed.unreadLines };
    },
    onSuccess: () => {
      setBulk('');
      refresh();
    },
  });
  const sync = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/workspaces/{wsId}/apps/{appId}/env-vars/sync', { params: { path } })),
    onSuccess: (deployment) => navigate(`/deployments/${deployment.id}`),
  });
  return (
    <>
      <div className="card">
        <h2>Variables</h2>
        <p className="muted">Changes apply at the next deploy, or now with “Sync to the running app”.</p>
        <ErrorMessage error={vars.error ?? remove.error} />
        <table>
          <caption className="sr-only">Env vars</caption>
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">Value</th>
              <th scope="col">Secret</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {(vars.data ?? []).map((v) => (
              <tr key={v.id}>
                <td>
                  <code>{v.key}</code>
                </td>
                <td>
                  <code>{v.value}</code>
                </td>
                <td>{v.isSecret ? 'secret (masked)' : 'no'}</td>
                <td>
                  <button type="button" className="danger" onClick={() => setDeleting(v)} aria-label={`Delete ${v.key}`}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <p>
          <button type="button" className="primary" disabled={sync.isPending} onClick={() => sync.mutate()}>
            {sync.isPending ? 'Syncing…' : 'Sync to the running app'}
          </button>
        </p>
        <ErrorMessage error={sync.error} />
        {deleting ? (
          <ConfirmDialog
            title={`Delete ${deleting.key}?`}
            confirmLabel="Delete variable"
            onCancel={() => setDeleting(null)}
            onConfirm={() => {
              remove.mutate(deleting.id);
              setDeleting(null);
            }}
          >
            <p>
              {deleting.key} and its value are deleted from {app.name}. The running app keeps it until the next deploy or sync.
            </p>
          </ConfirmDialog>
        ) : null}
      </div>
      <form className="card" onSubmit={(e) => { e.preventDefault(); add.mutate(); }}>
        <h2>Add or change one</h2>
        <div className="row">
          <div>
            <label htmlFor="env-key">Key</label>
            <input id="env-key" required value={key} onChange={(e) => setKey(e.target.value)} />
          </div>
          <div>
            <label htmlFor="env-value">Value</label>
            <input id="env-value" type={isSecret ? 'password' : 'text'} value={value} onChange={(e) => setValue(e.target.value)} />
          </div>
          <label className="inline">
            <input type="checkbox" checked={isSecret} onChange={(e) => setIsSecret(e.target.checked)} /> Secret
          </label>
          <button type="submit" disabled={add.isPending}>
            {add.isPending ? 'Saving…' : 'Save variable'}
          </button>
        </div>
        <ErrorMessage error={add.error} />
      </form>
      <form className="card" onSubmit={(e) => { e.preventDefault(); importBulk.mutate(); }}>
        <h2>Paste a .env file</h2>
        <label htmlFor="env-bulk">.env contents (KEY=value per line; # comments)</label>
        <textarea id="env-bulk" rows={6} value={bulk} onChange={(e) => setBulk(e.target.value)} />
        <label className="inline">
          <input type="checkbox" checked={bulkSecret} onChange={(e) => setBulkSecret(e.target.checked)} /> Store all as secrets
        </label>
        <ErrorMessage error={importBulk.error} />
        {importBulk.isSuccess ? (
          <p className="notice" role="status">
            {`${importBulk.data.saved === 1 ? '1 variable saved' : `${importBulk.data.saved} variables saved`}${unreadNote(importBulk.data.unreadLines)}.`}
          </p>
        ) : null}
        <p>
          <button type="submit" disabled={importBulk.isPending}>
            {importBulk.isPending ? 'Importing…' : 'Import variables'}
          </button>
        </p>
      </form>
    </>
  );
}
