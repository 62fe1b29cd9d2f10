// The workspace's apps: status, URL (none for a worker or cron app), last deploy and health, with
// search and pages.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { api, unwrap } from '../api/client';
import { kindLine, noUrlWords, shownUrl } from '../api/app-kind';
import { useApp, useHealth } from '../api/queries';
import type { App, AppListItem } from '../api/types';
import { useWorkspaceId } from '../app/session-context';
import { ErrorMessage } from '../components/error-message';
import { StatusBadge } from '../components/status-badge';
import { TimeAgo } from '../components/time-ago';

function listApps(wsId: string, page: number, search: string) {
  return unwrap(api.GET('/api/v1/workspaces/{wsId}/apps', { params: { path: { wsId }, query: { page, limit: 20, search: search || undefined } } }));
}

export function AppsPage() {
  const wsId = useWorkspaceId();
  const [page, setPage] = useState(1);
  const [search, setSearch] = useState('');
  const apps = useQuery({ queryKey: ['apps', wsId, page, search], queryFn: () => listApps(wsId, page, search), placeholderData: keepPreviousData, refetchInterval: 15_000 });
  return (
    <>
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <h1>Apps</h1>
        <Link href="/apps/new" className="button primary">
          New app
        </Link>
      </div>
      <div className="row">
        <div>
          <label htmlFor="app-search">Search apps</label>
          <input id="app-search" type="search" value={search} onChange={(e) => { setSearch(e.target.value); setPage(1); }} />
        </div>
      </div>
      <ErrorMessage error={apps.error} />
      {apps.isPending ? <p role="status">Loading apps…</p> : null}
      {apps.data ? (
        <>
          <table>
            <caption className="sr-only">Apps of the workspace</caption>
            <thead>
              <tr>
                <th scope="col">App</th>
                <th scope="col">Status</th>
                <th scope="col">URL</th>
                <th scope="col">Last deploy</th>
                <th scope="col">Health</th>
              </tr>
            </thead>
            <tbody>
              {apps.data.data.map((app) => (
                <AppRow key={app.id} app={app} />
              ))}
            </tbody>
          </table>
          {apps.data.data.length === 0 ? <p>No apps yet: create one with “New app”.</p> : null}
          <Pager page={page} totalPages={apps.data.meta.totalPages} onPage={setPage} />
        </>
      ) : null}
    </>
  );
}

function AppRow({ app }: { app: AppListItem }) {
  const detail = useApp(app.id);
  const health = useHealth(app.id);
  const last = detail.data?.latestDeployment;
  const url = shownUrl(app);
  return (
    <tr>
      <td>
        <Link href={`/apps/${app.id}`}>{app.name}</Link>
        <div className="muted">
          {app.slug} · {kindLine(detail.data ?? app)}
        </div>
      </td>
      <td>
        <StatusBadge status={app.status} />
      </td>
      <td>
        {url === null ? (
          <span className="muted">none: it {noUrlWords}</span>
        ) : (
          <a href={url} target="_blank" rel="noreferrer">
            {url}
          </a>
        )}
      </td>
      <td>{last ? <LastDeploy deployment={last} /> : <span className="muted">{detail.isPending ? '…' : 'none'}</span>}</td>
      <td>{health.data ? <StatusBadge status={health.data.status} /> : <span className="muted">…</span>}</td>
    </tr>
  );
}

function LastDeploy({ deployment }: { deployment: NonNullable<App['latestDeployment']> }) {
  return (
    <>
      <Link href={`/deployments/${deployment.id}`}>
        <StatusBadge status={deployment.status} />
      </Link>{' '}
      <TimeAgo at={deployment.createdAt} />
    </>
  );
}

export function Pager({ page, totalPages, onPage }: { page: number; totalPages: number; onPage: (page: number) => void }) {
  if (totalPages <= 1) return null;
  return (
    <nav aria-label="Pages" className="row" style={{ marginTop: 12 }}>
      <button type="button" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        Previous page
      </button>
      <span>
        Page {page} of {totalPages}
      </span>
      <button type="button" disabled={page >= totalPages} onClick={() => onPage(page + 1)}>
        Next page
      </button>
    </nav>
  );
}
