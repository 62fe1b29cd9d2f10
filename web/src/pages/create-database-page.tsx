// Create a managed database, then go to its page, which shows provisioning until it is RUNNING
// (SQLITE at once) or failed with the reason. Fields left empty take the API's defaults.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useLocation } from 'wouter';
import { api, unwrap } from '../api/client';
import type { DatabaseEngine } from '../api/types';
import { useWorkspaceId } from '../app/session-context';
import { ErrorMessage } from '../components/error-message';
import { engines } from './databases-page';
import { slugOf } from '../api/slug-of';

const defaultStorageGb: Record<DatabaseEngine, number> = { POSTGRES: 10, REDIS: 10, SQLITE: 1 };

export function CreateDatabasePage() {
  const wsId = useWorkspaceId();
  const [, navigate] = useLocation();
  const queries = useQueryClient();
  const [name, setName] = useState('');
  const [slug, setSlug] = useState('');
  const [slugTouched, setSlugTouched] = useState(false);
  const [engine, setEngine] = useState<DatabaseEngine>('POSTGRES');
  const [version, setVersion] = useState('');
  const [storageGb, setStorageGb] = useState(String(defaultStorageGb.POSTGRES));
  const [storageTouched, setStorageTouched] = useState(false);
  const [cpu, setCpu] = useState('');
  const [memory, setMemory] = useState('');
  const server = engine !== 'SQLITE';
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/workspaces/{wsId}/databases', {
          params: { path: { wsId } },
          body: {
            name,
            slug: slug || slugOf(name),
            engine,
            storageGb: Number(storageGb),
            ...(version ? { version } : {}),
            ...(server && cpu ? { cpu } : {}),
            ...(server && memory ? { memory } : {}),
          },
        }),
      ),
    onSuccess: (database) => {
      void queries.invalidateQueries({ queryKey: ['databases', wsId] });
      queries.setQueryData(['database', wsId, database.id], database);
      navigate(`/databases/${database.id}`);
    },
  });
  const chooseEngine = (next: DatabaseEngine) => {
    setEngine(next);
    if (!storageTouched) setStorageGb(String(defaultStorageGb[next]));
  };
  return (
    <>
      <h1>New database</h1>
      <form className="card" onSubmit={(e) => { e.preventDefault(); create.mutate(); }}>
        <div className="row">
          <div>
            <label htmlFor="database-name">Name</label>
            <input id="database-name" required maxLength={100} value={name} onChange={(e) => { setName(e.target.value); if (!slugTouched) setSlug(slugOf(e.target.value)); }} />
          </div>
          <div>
            <label htmlFor="database-slug">Slug</label>
            <input id="database-slug" required title="Lowercase letters, digits and hyphens; starting and ending with a letter or digit" pattern="[a-z0-9]([a-z0-9\-]*[a-z0-9])?" value={slug} onChange={(e) => { setSlug(e.target.value); setSlugTouched(true); }} />
          </div>
          <div>
            <label htmlFor="database-engine">Engine</label>
            <select id="database-engine" value={engine} onChange={(e) => chooseEngine(e.target.value as DatabaseEngine)}>
              {engines.map((e) => (
                <option key={e} value={e}>
                  {e}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="database-version">Version (empty: the newest)</label>
            <input id="database-version" maxLength={20} value={version} onChange={(e) => setVersion(e.target.value)} placeholder={engine === 'SQLITE' ? '3' : ''} />
          </div>
        </div>
        <div className="row">
          <div>
            <label htmlFor="database-storage">Storage (GB)</label>
            <input id="database-storage" type="number" required min={1} max={1024} value={storageGb} onChange={(e) => { setStorageGb(e.target.value); setStorageTouched(true); }} />
          </div>
          {server ? (
            <>
              <div>
                <label htmlFor="database-cpu">CPU (empty: 500m)</label>
                <input id="database-cpu" maxLength={12} value={cpu} onChange={(e) => setCpu(e.target.value)} placeholder="500m" />
              </div>
              <div>
                <label htmlFor="database-memory">Memory (empty: 512Mi)</label>
                <input id="database-memory" maxLength={12} value={memory} onChange={(e) => setMemory(e.target.value)} placeholder="512Mi" />
              </div>
            </>
          ) : null}
        </div>
        <p className="muted">
          {server ? 'Berth starts a server of its own for this database; its page shows progress until it is ready.' : 'An SQLITE database is a volume, ready at once; attach it to one app, which then runs one replica.'}
        </p>
        <ErrorMessage error={create.error} />
        <p>
          <button className="primary" type="submit" disabled={create.isPending}>
            {create.isPending ? 'Creating…' : 'Create database'}
          </button>
        </p>
      </form>
    </>
  );
}
