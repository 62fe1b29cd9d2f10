// The workspace's managed databases: engine, version, status (with the reason when provisioning
// failed), resources and age, filtered by engine and status and searched, as the API does it.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { api, unwrap } from '../api/client';
import type { Database, DatabaseEngine, DatabaseStatusWord } from '../api/types';
import { useWorkspaceId } from '../app/session-context';
import { ErrorMessage } from '../components/error-message';
import { StatusBadge } from '../components/status-badge';
import { TimeAgo } from '../components/time-ago';

export const engines: DatabaseEngine[] = ['POSTGRES', 'REDIS', 'SQLITE'];
const statuses: DatabaseStatusWord[] = ['PROVISIONING', 'RUNNING', 'FAILED'];

export function DatabasesPage() {
  const wsId = useWorkspaceId();
  const [engine, setEngine] = useState<DatabaseEngine | ''>('');
  const [status, setStatus] = useState<DatabaseStatusWord | ''>('');
  const [search, setSearch] = useState('');
  const query = { engine: engine || undefined, status: status || undefined, search: search || undefined };
  const databases = useQuery({
    queryKey: ['databases', wsId, query],
    queryFn: () => unwrap(api.GET('/api/v1/workspaces/{wsId}/databases', { params: { path: { wsId }, query } })),
    placeholderData: keepPreviousData,
    refetchInterval: (q) => (q.state.data?.some((d) => d.status === 'PROVISIONING') ? 2000 : 15_000),
  });
  const filtered = engine !== '' || status !== '' || search !== '';
  return (
    <>
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <h1>Databases</h1>
        <Link href="/databases/new" className="button primary">
          New database
        </Link>
      </div>
      <div className="row">
        <div>
          <label htmlFor="database-search">Search databases</label>
          <input id="database-search" type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        </div>
        <div>
          <label htmlFor="database-engine-filter">Engine</label>
          <select id="database-engine-filter" value={engine} onChange={(e) => setEngine(e.target.value as DatabaseEngine | '')}>
            <option value="">all engines</option>
            {engines.map((e) => (
              <option key={e} value={e}>
                {e}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="database-status-filter">Status</label>
          <select id="database-status-filter" value={status} onChange={(e) => setStatus(e.target.value as DatabaseStatusWord | '')}>
            <option value="">all statuses</option>
            {statuses.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
      </div>
      <ErrorMessage error={databases.error} />
      {databases.isPending ? <p role="status">Loading databases…</p> : null}
      {databases.data ? (
        <>
          <table>
            <caption className="sr-only">Databases of the workspace</caption>
            <thead>
              <tr>
                <th scope="col">Database</th>
                <th scope="col">Engine</th>
                <th scope="col">Status</th>
                <th scope="col">Resources</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {databases.data.map((d) => (
                <DatabaseRow key={d.id} database={d} />
              ))}
            </tbody>
          </table>
          {databases.data.length === 0 ? <p>{filtered ? 'No database matches these filters.' : 'No databases yet: create one with “New database”.'}</p> : null}
        </>
      ) : null}
    </>
  );
}

function DatabaseRow({ database: d }: { database: Database }) {
  return (
    <tr>
      <td>
        <Link href={`/databases/${d.id}`}>{d.name}</Link>
        <div className="muted">{d.slug}</div>
      </td>
      <td>
        {d.engine} {d.version}
      </td>
      <td>
        <StatusBadge status={d.status} />
        {d.status === 'FAILED' && d.statusMessage ? <div className="muted">{d.statusMessage}</div> : null}
      </td>
      <td>
        <ResourcesText database={d} />
      </td>
      <td>
        <TimeAgo at={d.createdAt} />
      </td>
    </tr>
  );
}

/** "1 GB · 500m cpu · 512Mi": what the database may use (SQLITE has no server: storage only). */
export function ResourcesText({ database: d }: { database: Database }) {
  const r = d.resources;
  const parts = [`${r.storageGb} GB`];
  if (d.engine !== 'SQLITE') parts.push(`${r.cpu} cpu`, `${r.memory} memory`);
  if (r.highAvailability) parts.push('high availability');
  return <>{parts.join(' · ')}</>;
}
