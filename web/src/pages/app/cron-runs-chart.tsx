// A cron app's runs in the Metrics tab's period: how many and how they ended, and a chart of how
// long the finished ones took (a cron app takes no requests; its runs are what it does).
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import { runFigures } from '../../api/run-figures';
import type { App, MetricsPeriod } from '../../api/types';
import { useWorkspaceId } from '../../app/session-context';
import { ErrorMessage } from '../../components/error-message';
import { TimeSeriesChart } from '../../components/time-series-chart';

/** The most runs the API gives in one answer. */
const fetched = 500;
const hourMs = 3_600_000;
const periodMs: Record<MetricsPeriod, number> = { '1h': hourMs, '6h': 6 * hourMs, '24h': 24 * hourMs, '7d': 168 * hourMs, '30d': 720 * hourMs };

export function CronRunsChart({ app, period }: { app: App; period: MetricsPeriod }) {
  const wsId = useWorkspaceId();
  const runs = useQuery({
    queryKey: ['cron-runs', wsId, app.id, fetched],
    queryFn: () =>
      unwrap(api.GET('/api/v1/workspaces/{wsId}/apps/{appId}/cron-runs', { params: { path: { wsId, appId: app.id }, query: { limit: fetched } } })),
    refetchInterval: 60_000,
  });
  const figures = runs.data ? runFigures(runs.data, { label: period, ms: periodMs[period] }, new Date(), fetched) : null;
  const seconds = figures?.durations.map((d) => d.seconds) ?? [];
  return (
    <div className="card">
      <h2>Runs</h2>
      <ErrorMessage error={runs.error} />
      {figures ? <p>{figures.summary}</p> : <p role="status">Loading the runs…</p>}
      {figures && seconds.length > 0 ? (
        <TimeSeriesChart
          title="Run duration"
          series={{
            labels: figures.durations.map((d) => d.startedAt),
            values: seconds,
            unit: 's',
            current: seconds[seconds.length - 1] ?? 0,
            avg: seconds.reduce((a, b) => a + b, 0) / seconds.length,
            max: Math.max(...seconds),
          }}
        />
      ) : null}
    </div>
  );
}
