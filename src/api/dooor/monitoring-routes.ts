// The Monitoring API (spec 004) and the Prometheus scrape. The log stream also accepts the key
// as `?token=` (browsers' EventSource cannot send headers); every other route takes it only
// from the headers, like the rest of the API.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Core } from '../../core/create-core.js';
import type { MetricsPeriod } from '../../core/ports/telemetry.js';
import { actorOf, appRef, requireKey } from '../auth.js';
import { ResumeHeaders, lastEventSeq, streamSse } from '../sse-log-stream.js';
import { presentAlert, presentHealth, presentLogEntry, presentMetrics, presentOverview } from './presenters/present-monitoring.js';
import { AppParams, WorkspaceParams, errorResponses } from './schemas/common.js';
import {
  AlertParams,
  AlertView,
  AlertsQuery,
  HealthView,
  LogsQuery,
  LogsView,
  MetricsQuery,
  MetricsView,
  OverviewView,
  StreamQuery,
} from './schemas/monitoring-schemas.js';

const tags = ['Monitoring'];

const monitoringApi =
  (core: Core): FastifyPluginAsyncTypebox =>
  async (app) => {
    requireKey(app, core);

    app.get(
      '/workspaces/:wsId/monitoring/apps/:appId/metrics',
      { schema: { tags, summary: 'Time series of an app over a period', params: AppParams, querystring: MetricsQuery, response: { 200: MetricsView, ...errorResponses } } },
      async (request, reply) => {
        const result = await core.getAppMetrics({ ...appRef(request), period: request.query.period as MetricsPeriod | undefined });
        void reply.header('x-berth-metrics-source', result.metrics.source);
        return presentMetrics(result.app, result.period, result.metrics);
      },
    );

    app.get(
      '/workspaces/:wsId/monitoring/apps/:appId/health',
      { schema: { tags, summary: 'Current health of an app, computed when asked (the overview counts the same answers)', params: AppParams, response: { 200: HealthView, ...errorResponses } } },
      async (request) => presentHealth(await core.getAppHealth(appRef(request))),
    );

    app.get(
      '/workspaces/:wsId/monitoring/apps/:appId/logs',
      { schema: { tags, summary: 'Log entries, newest first, one page at a time', params: AppParams, querystring: LogsQuery, response: { 200: LogsView, ...errorResponses } } },
      async (request) => {
        const q = request.query;
        const page = await core.queryLogs({
          ...appRef(request),
          limit: q.limit,
          severity: q.severity,
          startTime: q.startTime ? new Date(q.startTime) : undefined,
          endTime: q.endTime ? new Date(q.endTime) : undefined,
          pageToken: q.pageToken,
        });
        return { logs: page.lines.map(presentLogEntry), nextPageToken: page.nextPageToken };
      },
    );

    app.get(
      '/workspaces/:wsId/monitoring/apps/:appId/logs/stream',
      {
        config: { queryToken: true },
        schema: {
          tags,
          summary: 'Live log lines as Server-Sent Events (text/event-stream); each event\'s `id` is the line\'s `seq`, and a reconnect with `Last-Event-ID` resumes after it',
          params: AppParams,
          querystring: StreamQuery,
          headers: ResumeHeaders,
          produces: ['text/event-stream'],
          response: { 200: { description: 'Events `data: {"timestamp","severity","message"}`', type: 'string' }, ...errorResponses },
        },
      },
      async (request, reply) => {
        const ref = appRef(request);
        const afterSeq = lastEventSeq(request.headers);
        await streamSse(reply, (listener) => core.tailLogs({ ...ref, afterSeq, listener }), {
          heartbeatMs: core.settings.monitoring.sseHeartbeatMs,
          present: presentLogEntry,
          missedAfter: (seq) => core.missedLogs({ ...ref, afterSeq: seq }),
        });
      },
    );

    app.get(
      '/workspaces/:wsId/monitoring/overview',
      { schema: { tags, summary: 'Workspace summary for dashboards', params: WorkspaceParams, response: { 200: OverviewView, ...errorResponses } } },
      async (request) => presentOverview(await core.getOverview({ actor: actorOf(request), workspaceId: request.params.wsId })),
    );

    app.get(
      '/workspaces/:wsId/monitoring/alerts',
      { schema: { tags, summary: 'Alerts of the workspace, newest first', params: WorkspaceParams, querystring: AlertsQuery, response: { 200: Type.Array(AlertView), ...errorResponses } } },
      async (request) =>
        (
          await core.listAlerts({
            actor: actorOf(request),
            workspaceId: request.params.wsId,
            appId: request.query.appId,
            resolved: request.query.resolved,
            limit: request.query.limit,
          })
        ).map(presentAlert),
    );

    app.patch(
      '/workspaces/:wsId/monitoring/alerts/:alertId/resolve',
      { schema: { tags, summary: 'Mark an alert resolved', params: AlertParams, response: { 200: AlertView, ...errorResponses } } },
      async (request) =>
        presentAlert(await core.resolveAlert({ actor: actorOf(request), workspaceId: request.params.wsId, alertId: request.params.alertId })),
    );
  };

export const monitoringRoutes =
  (core: Core): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
      const exposition = await core.scrapeMetrics({ bearer: match?.[1] ?? null });
      return reply.header('content-type', exposition.contentType).send(exposition.body);
    });
    await app.register(monitoringApi(core), { prefix: '/api/v1' });
  };
