// An app's overview: the runtime of the revisions that serve traffic (a cron app's schedule and
// runs instead), health as the app's kind is judged, deploy actions and the delete.
import { healthFact, takesHttp } from '../../api/app-kind';
import { useHealth } from '../../api/queries';
import type { App } from '../../api/types';
import { ErrorMessage } from '../../components/error-message';
import { StatusBadge } from '../../components/status-badge';
import { TimeAgo } from '../../components/time-ago';
import { DeleteApp } from './delete-app';
import { DeployActions } from './deploy-actions';
import { CronRunsCard } from './cron-runs-card';
import { RuntimeCard, runtimeRefreshMs } from './runtime-card';

export function OverviewTab({ app }: { app: App }) {
  // As often as the Runtime card beside it, so the two never tell different instance counts for long.
  const health = useHealth(app.id, runtimeRefreshMs);
  const http = takesHttp(app.type);
  const cron = app.type === 'cron';
  return (
    <div className="grid">
      {cron ? <CronRunsCard app={app} /> : <RuntimeCard app={app} />}
      <div className="card">
        <h2>Health</h2>
        <ErrorMessage error={health.error} />
        {health.data ? (
          <dl className="facts">
            <dt>Status</dt>
            <dd>
              <StatusBadge status={health.data.status} />
              {http ? null : <div className="muted">{healthFact(app.type, health.data)}</div>}
            </dd>
            {cron ? null : (
              <>
                <dt>Instances</dt>
                <dd>
                  {health.data.instanceCount}
                  {health.data.warmInstances > 0 ? ` serving, ${health.data.warmInstances} more kept warm for rollback` : ''}
                </dd>
              </>
            )}
            {http ? (
              <>
                <dt>Error rate</dt>
                <dd>
                  {health.data.requestCount === 0 ? 'no recent requests' : `${health.data.errorRate.toFixed(1)} % of ${health.data.requestCount} recent requests`}
                </dd>
                <dt>Mean latency</dt>
                <dd>{health.data.requestCount === 0 ? 'no recent requests' : `${health.data.avgLatencyMs.toFixed(0)} ms`}</dd>
              </>
            ) : null}
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
