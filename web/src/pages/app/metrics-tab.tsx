// Every metric series of spec 004 for the chosen period (1h … 30d), refreshed each minute.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import type { App, MetricsPeriod } from '../../api/types';
import { useWorkspaceId } from '../../app/session-context';
import { ErrorMessage } from '../../components/error-message';
import { TimeSeriesChart } from '../../components/time-series-chart';

const periods: MetricsPeriod[] = ['1h', '6h', '24h', '7d', '30d'];
const titles = { cpu: 'CPU', memory: 'Memory', requestCount: 'Requests', requestLatency: 'Latency', errorRate: 'Error rate', instanceCount: 'Instances' } as const;

export function MetricsTab({ app }: { app: App }) {
  const wsId = useWorkspaceId();
  const [period, setPeriod] = useState<MetricsPeriod>('1h');
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
      <ErrorMessage error={metrics.error} />
      {metrics.data ? (
        <div className="grid" style={{ marginTop: 12 }}>
          {(Object.keys(titles) as (keyof typeof titles)[]).map((key) => (
            <TimeSeriesChart key={key} title={titles[key]} series={metrics.data[key]} />
          ))}
        </div>
      ) : null}
    </>
  );
}
