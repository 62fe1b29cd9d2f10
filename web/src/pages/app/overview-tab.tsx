// Runtime status and instances of the serving deployment, health, and deploy actions.
// "Serving" is the revision with the most traffic (older revisions stay warm for rollback and
// must not be shown as the app's runtime), followed as deploys, rollbacks and promotes move it.
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import { useHealth, useRevisions } from '../../api/queries';
import type { App } from '../../api/types';
import { useWorkspaceId } from '../../app/session-context';
import { ErrorMessage } from '../../components/error-message';
import { StatusBadge } from '../../components/status-badge';
import { TimeAgo } from '../../components/time-ago';
import { DeleteApp } from './delete-app';
import { DeployActions } from './deploy-actions';

export function OverviewTab({ app }: { app: App }) {
  const wsId = useWorkspaceId();
  const health = useHealth(app.id);
  const revisions = useRevisions(app.id, 5000);
  const servingRevision = (revisions.data ?? []).reduce<{ revisionName: string; trafficPercent: number } | null>((best, r) => (r.trafficPercent > (best?.trafficPercent ?? 0) ? r : best), null);
  const serving = useQuery({
    queryKey: ['deployments', wsId, app.id, 'succeeded'],
    queryFn: () => unwrap(api.GET('/api/v1/workspaces/{wsId}/deploy', { params: { path: { wsId }, query: { appId: app.id, status: 'succeeded', limit: 100 } } })),
    refetchInterval: 5000,
  });
  const deployId = servingRevision ? serving.data?.data.find((d) => d.revisionName === servingRevision.revisionName)?.id : undefined;
  const runtime = useQuery({
    queryKey: ['runtime', wsId, deployId],
    enabled: deployId !== undefined,
    queryFn: () => unwrap(api.GET('/api/v1/workspaces/{wsId}/deploy/{deployId}/runtime-status', { params: { path: { wsId, deployId: deployId ?? '' } } })),
    refetchInterval: 5000,
  });
  return (
    <div className="grid">
      <div className="card">
        <h2>Runtime</h2>
        <ErrorMessage error={runtime.error ?? serving.error ?? revisions.error} />
        {!deployId && serving.data && revisions.data ? <p>{serving.data.data.length === 0 ? 'No deployment has succeeded yet.' : 'No revision receives traffic.'}</p> : null}
        {runtime.data ? (
          <>
            <dl className="facts">
              <dt>Phase</dt>
              <dd>
                <StatusBadge status={runtime.data.phase} />
              </dd>
              <dt>Revision</dt>
              <dd>
                {runtime.data.revisionName ?? '–'}
                {servingRevision && servingRevision.trafficPercent < 100 ? ` (${servingRevision.trafficPercent} % of traffic)` : ''}
              </dd>
              <dt>Instances</dt>
              <dd>
                {runtime.data.ready} ready of {runtime.data.total} (desired {app.replicas})
              </dd>
              <dt>Restarts</dt>
              <dd>{runtime.data.restarts}</dd>
            </dl>
            <table style={{ marginTop: 8 }}>
              <caption className="sr-only">Conditions</caption>
              <thead>
                <tr>
                  <th scope="col">Condition</th>
                  <th scope="col">Status</th>
                  <th scope="col">Reason</th>
                </tr>
              </thead>
              <tbody>
                {runtime.data.conditions.map((c) => (
                  <tr key={c.type}>
                    <td>{c.type}</td>
                    <td>
                      <StatusBadge status={c.status} />
                    </td>
                    <td>{c.message ?? c.reason ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        ) : null}
      </div>
      <div className="card">
        <h2>Health</h2>
        <ErrorMessage error={health.error} />
        {health.data ? (
          <dl className="facts">
            <dt>Status</dt>
            <dd>
              <StatusBadge status={health.data.status} />
            </dd>
            <dt>Instances</dt>
            <dd>
              {health.data.instanceCount}
              {health.data.warmInstances > 0 ? ` serving, ${health.data.warmInstances} more kept warm for rollback` : ''}
            </dd>
            <dt>Error rate</dt>
            <dd>
              {health.data.requestCount === 0 ? 'no recent requests' : `${health.data.errorRate.toFixed(1)} % of ${health.data.requestCount} recent requests`}
            </dd>
            <dt>Mean latency</dt>
            <dd>{health.data.avgLatencyMs.toFixed(0)} ms</dd>
            <dt>Uptime</dt>
            <dd>{health.data.uptime} s</dd>
            <dt>Last deployed</dt>
            <dd>
              <TimeAgo at={health.data.lastDeployedAt} />
            </dd>
            <dt>Checked</dt>
            <dd>
              <TimeAgo at={health.data.lastCheckedAt} />
            </dd>
          </dl>
        ) : null}
      </div>
      <div className="card">
        <h2>Deploy</h2>
        <DeployActions app={app} />
      </div>
      <DeleteApp app={app} />
    </div>
  );
}
