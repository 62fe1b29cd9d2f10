// The workspace at a glance: apps, deploys, health, estimated monthly cost and recent activity.
// Berth counts the day's deploys from midnight UTC, so the title says so (not "today" in the reader's zone).
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { useWorkspaceId } from '../app/session-context';
import { ErrorMessage } from '../components/error-message';
import { StatusBadge } from '../components/status-badge';
import { TimeAgo } from '../components/time-ago';

export function OverviewPage() {
  const wsId = useWorkspaceId();
  const overview = useQuery({ queryKey: ['overview', wsId], queryFn: () => unwrap(api.GET('/api/v1/workspaces/{wsId}/monitoring/overview', { params: { path: { wsId } } })), refetchInterval: 30_000 });
  const o = overview.data;
  return (
    <>
      <h1>Workspace overview</h1>
      <ErrorMessage error={overview.error} />
      {o ? (
        <>
          <div className="grid">
            <Stat title="Apps" value={`${o.activeApps} active of ${o.totalApps}`} />
            <Stat title="Deploys since 00:00 UTC" value={`${o.deploysToday} (${o.failedBuildsToday} failed builds)`} />
            <Stat title="Deploys in all" value={String(o.totalDeploys)} />
            <Stat title="Estimated monthly cost" value={o.estimatedMonthlyCost.toLocaleString(undefined, { style: 'currency', currency: 'USD' })} />
          </div>
          <div className="card">
            <h2>Health of the apps</h2>
            <p className="row">
              <StatusBadge status="healthy" label={`${o.appHealthSummary.healthy} healthy`} />
              <StatusBadge status="degraded" label={`${o.appHealthSummary.degraded} degraded`} />
              <StatusBadge status="unhealthy" label={`${o.appHealthSummary.unhealthy} unhealthy`} />
              <StatusBadge status="unknown" label={`${o.appHealthSummary.unknown} unknown`} />
            </p>
          </div>
          <div className="card">
            <h2>Recent activity</h2>
            <ul>
              {o.recentActivity.map((a, i) => (
                <li key={i}>
                  <TimeAgo at={a.timestamp} /> · {a.type} · <strong>{a.appName}</strong> {a.status ? <StatusBadge status={a.status} /> : null} {a.message ?? ''}
                </li>
              ))}
            </ul>
            {o.recentActivity.length === 0 ? <p>Nothing yet.</p> : null}
          </div>
        </>
      ) : null}
    </>
  );
}

function Stat({ title, value }: { title: string; value: string }) {
  return (
    <div className="card">
      <h2 style={{ marginTop: 0 }}>{title}</h2>
      <div className="stat">{value}</div>
    </div>
  );
}
