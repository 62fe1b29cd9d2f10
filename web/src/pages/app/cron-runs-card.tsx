// A cron app's card in place of the Runtime one: it has no instances between runs, so what it
// shows is its schedule (UTC), its last and next run, and its recent runs, in the CLI's words.
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import { lastRunFact, nextRunFact, scheduleFact, tookWords } from '../../api/app-kind';
import type { App } from '../../api/types';
import { useWorkspaceId } from '../../app/session-context';
import { ErrorMessage } from '../../components/error-message';
import { StatusBadge } from '../../components/status-badge';
import { TimeAgo } from '../../components/time-ago';

const took = (run: { startedAt: string; finishedAt: string | null }) =>
  run.finishedAt ? tookWords(Date.parse(run.finishedAt) - Date.parse(run.startedAt)) : '–';

export function CronRunsCard({ app }: { app: App }) {
  const wsId = useWorkspaceId();
  const path = { wsId, appId: app.id };
  const runs = useQuery({
    queryKey: ['cron-runs', wsId, app.id],
    queryFn: () =>
      unwrap(api.GET('/api/v1/workspaces/{wsId}/apps/{appId}/cron-runs', { params: { path, query: { limit: 10 } } })),
    refetchInterval: 5000,
  });
  const deployed = useQuery({
    queryKey: ['deployments', wsId, app.id, 'succeeded', 1],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/workspaces/{wsId}/deploy', {
          params: { path: { wsId }, query: { appId: app.id, status: 'succeeded', limit: 1 } },
        }),
      ),
    refetchInterval: 15_000,
  });
  return (
    <div className="card">
      <h2>Schedule and runs</h2>
      <ErrorMessage error={runs.error ?? deployed.error} />
      <dl className="facts">
        <dt>Schedule</dt>
        <dd>{scheduleFact(app.schedule)}</dd>
        <dt>Last run</dt>
        <dd>{runs.data ? lastRunFact(runs.data[0]) : '…'}</dd>
        <dt>Next run</dt>
        <dd>{deployed.data ? nextRunFact(app, deployed.data.data.length > 0) : '…'}</dd>
      </dl>
      {runs.data && runs.data.length > 0 ? (
        <table style={{ marginTop: 8 }}>
          <caption className="sr-only">Recent runs of {app.name}</caption>
          <thead>
            <tr>
              <th scope="col">Run</th>
              <th scope="col">Status</th>
              <th scope="col">Exit code</th>
              <th scope="col">Took</th>
              <th scope="col">Started</th>
            </tr>
          </thead>
          <tbody>
            {runs.data.map((run) => (
              <tr key={run.id}>
                <td>
                  <code>{run.id}</code>
                </td>
                <td>
                  <StatusBadge status={run.status} />
                </td>
                <td>{run.exitCode ?? '–'}</td>
                <td>{took(run)}</td>
                <td>
                  <TimeAgo at={run.startedAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
