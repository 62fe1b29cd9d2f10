// An app's page: its header (status, URL and visibility or, for a worker or cron app, why it has
// no URL) and one tab per concern.
import { Link } from 'wouter';
import { ApiError } from '../../api/client';
import { kindLine, noUrlWords, shownUrl } from '../../api/app-kind';
import { useApp } from '../../api/queries';
import { ErrorMessage } from '../../components/error-message';
import { StatusBadge } from '../../components/status-badge';
import { AlertsTab } from './alerts-tab';
import { DatabasesTab } from './databases-tab';
import { DeploymentsTab } from './deployments-tab';
import { DomainsTab } from './domains-tab';
import { EnvTab } from './env-tab';
import { LogsTab } from './logs-tab';
import { MetricsTab } from './metrics-tab';
import { OverviewTab } from './overview-tab';
import { ScaleTab } from './scale-tab';
import { SharingTab } from './sharing-tab';
import { TrafficTab } from './traffic-tab';
import type { App } from '../../api/types';
import type { ComponentType } from 'react';

const tabs: { id: string; title: string; Component: ComponentType<{ app: App }> }[] = [
  { id: 'overview', title: 'Overview', Component: OverviewTab },
  { id: 'deployments', title: 'Deployments', Component: DeploymentsTab },
  { id: 'traffic', title: 'Revisions & traffic', Component: TrafficTab },
  { id: 'scale', title: 'Scale', Component: ScaleTab },
  { id: 'env', title: 'Environment', Component: EnvTab },
  { id: 'databases', title: 'Databases', Component: DatabasesTab },
  { id: 'domains', title: 'Domains', Component: DomainsTab },
  { id: 'sharing', title: 'Sharing & webhook', Component: SharingTab },
  { id: 'logs', title: 'Logs', Component: LogsTab },
  { id: 'metrics', title: 'Metrics', Component: MetricsTab },
  { id: 'alerts', title: 'Alerts', Component: AlertsTab },
];

export function AppPage({ appId, tab }: { appId: string; tab: string }) {
  const app = useApp(appId);
  const current = tabs.find((t) => t.id === tab) ?? tabs[0];
  // A refetch that fails for a moment (Berth restarting, the network) keeps the page; a gone app does not.
  const gone = app.error !== null && (!app.data || (app.error instanceof ApiError && app.error.status === 404));
  if (gone)
    return (
      <>
        <h1>App {app.data?.name ?? appId}</h1>
        <ErrorMessage error={app.error} />
        <p>
          <Link href="/apps">Back to the apps</Link>
        </p>
      </>
    );
  if (!app.data || !current) return <p role="status">Loading the app…</p>;
  const { Component } = current;
  const url = shownUrl(app.data);
  return (
    <>
      <h1>
        {app.data.name} <StatusBadge status={app.data.status} />
      </h1>
      <p>
        {url === null ? (
          <>
            {kindLine(app.data)} <span className="muted">({noUrlWords})</span>
          </>
        ) : (
          <a href={url} target="_blank" rel="noreferrer">
            {url}
          </a>
        )}{' '}
        {/* Visibility decides who may open the app's URL: a worker or cron app has none, so it is not shown. */}
        <span className="muted">{url === null ? `· source ${app.data.sourceType}` : `· ${app.data.type} · ${app.data.visibility} · source ${app.data.sourceType}`}</span>
      </p>
      <ErrorMessage error={app.error} />
      <nav aria-label="App sections">
        <ul className="tabs">
          {tabs.map((t) => (
            <li key={t.id}>
              <Link href={`/apps/${appId}/${t.id}`} aria-current={t.id === current.id ? 'page' : undefined}>
                {t.title}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <section aria-label={current.title}>
        <Component app={app.data} />
      </section>
    </>
  );
}
