// Reading an app (spec 002): status with pods, pods, logs (tail, or followed as Server-Sent
// Events), the latest build log, metrics now, deployments, events and the audit trail.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Core } from '../../core/create-core.js';
import { appStatusWords } from '../dialect-words.js';
import { ResumeHeaders, lastEventSeq, streamSse } from '../sse-log-stream.js';
import { appOf } from './app-ref.js';
import { tags } from './app-routes.js';
import { presentAuditEntry, presentDeployment, presentEvent, presentLogLine, presentMetrics, presentPod, presentPodDetail } from './presenters.js';
import { AppParams, AuditView, BuildLogView, DeploymentView, EventView, LogsQuery, LogsView, MetricsView, PodView, StatusView, errors } from './schemas.js';
import { deploymentStandingWords } from '../dialect-words.js';

export const observeRoutes =
  (core: Core): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get('/apps/:id/status', { schema: { tags, summary: 'Runtime status: replicas wanted and ready, and the pods of the serving revision (a cron app wants none between its runs)', params: AppParams, response: { 200: StatusView, ...errors } } }, async (request) => {
      const [runtime, overview] = await Promise.all([core.appRuntime(appOf(request)), core.describeApp(appOf(request))]);
      return {
        app_id: runtime.app.id,
        status: appStatusWords.appsV1[overview.status],
        desired_replicas: runtime.summary.desiredReplicas,
        ready_replicas: runtime.summary.readyReplicas,
        pods: runtime.pods.map(presentPod),
      };
    });

    app.get('/apps/:id/pods', { schema: { tags, summary: 'Every instance of the app (warm standbys too)', params: AppParams, response: { 200: Type.Array(PodView), ...errors } } }, async (request) =>
      (await core.appInstances(appOf(request))).instances.map(presentPodDetail),
    );

    app.get(
      '/apps/:id/logs',
      {
        config: { queryToken: true },
        schema: {
          tags,
          summary: 'The last log lines of every pod (?lines=, default 100); ?follow=true streams them, then new ones, as Server-Sent Events',
          params: AppParams,
          querystring: LogsQuery,
          headers: ResumeHeaders,
          produces: ['application/json', 'text/event-stream'],
          response: { 200: LogsView, ...errors },
        },
      },
      async (request, reply) => {
        const ref = appOf(request);
        if (request.query.follow) {
          await streamSse(reply, (listener) => core.followAppLog({ ...ref, lines: request.query.lines, afterSeq: lastEventSeq(request.headers), listener }), {
            heartbeatMs: core.settings.monitoring.sseHeartbeatMs,
            present: presentLogLine,
            missedAfter: (seq) => core.missedLogs({ ...ref, afterSeq: seq }),
          });
          return reply;
        }
        const tail = await core.tailAppLog({ ...ref, lines: request.query.lines });
        return { app_id: tail.app.id, lines: tail.lines.map(presentLogLine) };
      },
    );

    app.get('/apps/:id/build-log', { schema: { tags, summary: 'The build log of the latest deployment', params: AppParams, response: { 200: BuildLogView, ...errors } } }, async (request) => {
      const log = await core.latestBuildLog(appOf(request));
      return {
        app_id: log.app.id,
        deployment_id: log.deployment?.id ?? null,
        status: log.standing ? deploymentStandingWords.appsV1[log.standing] : null,
        lines: log.lines,
      };
    });

    app.get('/apps/:id/metrics', { schema: { tags, summary: 'CPU, memory, disk and network of each pod now, and the totals of the replicas', params: AppParams, response: { 200: MetricsView, ...errors } } }, async (request) =>
      presentMetrics(await core.appUsage(appOf(request))),
    );

    app.get('/apps/:id/deployments', { schema: { tags, summary: 'Deployment history, newest first', params: AppParams, response: { 200: Type.Array(DeploymentView), ...errors } } }, async (request) =>
      (await core.deploymentHistory(appOf(request))).map((entry) => presentDeployment(entry.deployment, entry.standing)),
    );

    app.get('/apps/:id/events', { schema: { tags, summary: 'Kubernetes-style events, most recent first (repeats folded into count)', params: AppParams, response: { 200: Type.Array(EventView), ...errors } } }, async (request) =>
      (await core.listAppEvents(appOf(request))).map(presentEvent),
    );

    app.get('/apps/:id/audit', { schema: { tags, summary: 'Every change made to the app, newest first', params: AppParams, response: { 200: Type.Array(AuditView), ...errors } } }, async (request) =>
      (await core.listAppAudit(appOf(request))).map(presentAuditEntry),
    );
  };
