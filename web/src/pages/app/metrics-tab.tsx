// The metric series of spec 004 that apply to the app, for the chosen period (1h … 30d),
// refreshed each minute: a worker or cron app takes no requests, so it gets no request, error-rate
// or latency chart but a note saying why, and a cron app its runs of the period. Latency and
// error rate have gaps where no request came, where the API's series read 0.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { noRequestChartsNote, takesHttp } from '../../api/app-kind';
import { api, unwrap } from '../../api/client';
import type { App, MetricsPeriod } from '../../api/types';
import { useWorkspaceId } from '../../app/session-context';
import { ErrorMessage } from '../../components/error-message';
import { TimeSeriesChart } from '../../components/time-series-chart';
import { CronRunsChart } from './cron-runs-chart';

const periods: MetricsPeriod[] = ['1h', '6h', '24h', '7d', '30d'];
const titles = { cpu: 'CPU', memory: 'Memory', requestCount: 'Requests', requestLatency: 'Latency', errorRate: 'Error rate', instanceCount: 'Instances' } as const;
type SeriesKey = keyof typeof titles;
const allSeries: readonly SeriesKey[] = Object.keys(titles) as SeriesKey[];
const requestSeries: readonly SeriesKey[] = ['requestCount', 'requestLatency', 'errorRate'];
/** Measured per request: a minute without requests has no latency or error rate (the API says 0). */
const perRequest: readonly SeriesKey[] = ['requestLatency', 'errorRate'];

export function MetricsTab({ app }: { app: App }) {
  const wsId = useWorkspaceId();
  const [period, setPeriod] = useState<MetricsPeriod>('1h');
  const http = takesHttp(app.type);
  const shown = http ? allSeries : allSeries.filter((key) => !requestSeries.includes(key));
  const metrics = useQuery({
    queryKey: ['metrics', wsId, app.id, period],
    queryFn: () => unwrap(api.GET('/api/v1/workspaces/{wsId}/monitoring/apps/{appId}/metrics', { params: { path: { wsId, appId: app.id }, query: { period } } })),
    placeholderData: keepPreviousData,
    refetchInterval: 60_000,
  });
  return (
    <>
      <div className="row">
        <div>
          <label htmlFor="metrics-period">Period</label>
          <select id="metrics-period" value={period} onChange={(e) => setPeriod(e.target.value as MetricsPeriod)}>
            {periods.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </div>
        {metrics.isFetching ? <p role="status">Loading…</p> : null}
      </div>
      {http ? null : <p className="notice">{noRequestChartsNote(app)}</p>}
      <ErrorMessage error={metrics.error} />
      {metrics.data ? (
        <div className="grid" style={{ marginTop: 12 }}>
          {shown.map((key) => (
            <TimeSeriesChart key={key} title={titles[key]} series={metrics.data[key]} measured={perRequest.includes(key) ? metrics.data.requestCount.values.map((n) => n > 0) : undefined} />
          ))}
        </div>
      ) : null}
      {app.type === 'cron' ? (
        <div style={{ marginTop: 12 }}>
          <CronRunsChart app={app} period={period} />
        </div>
      ) : null}
    </>
  );
}
