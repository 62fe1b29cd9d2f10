// The Deploy page's runtime side (spec 001): revisions, traffic, promote, scale, runtime status.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Core } from '../../core/create-core.js';
import { actorOf, appRef } from '../auth.js';
import { AppParams, WorkspaceParams, errorResponses } from './schemas/common.js';
import {
  DeployParams,
  DeploymentView,
  PromoteView,
  RevisionParams,
  RevisionView,
  RuntimeStatusView,
  CronRunView,
  ScaleBody,
  ScaleView,
  TrafficBody,
  TrafficView,
} from './schemas/deploy-schemas.js';
import { presentDeployment, presentRevision, presentRuntimeStatus, presentScale, presentSplit } from './presenters/present-deploy.js';

const tags = ['Deploy'];

export const deployRoutes =
  (core: Core): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/workspaces/:wsId/deploy/apps/:appId/revisions',
      { schema: { tags, summary: 'List revisions, newest first', params: AppParams, response: { 200: Type.Array(RevisionView), ...errorResponses } } },
      async (request) => (await core.listRevisions(appRef(request))).map(presentRevision),
    );

    app.post(
      '/workspaces/:wsId/deploy/apps/:appId/traffic',
      { schema: { tags, summary: 'Set the traffic split', params: AppParams, body: TrafficBody, response: { 200: TrafficView, 409: Type.Ref('ErrorResponse'), ...errorResponses } } },
      async (request) => {
        const result = await core.setTraffic({
          ...appRef(request),
          splits: request.body.splits.map((s) => ({
            revision: s.revisionName ?? s.revisionId ?? '',
            field: s.revisionName !== undefined ? ('revisionName' as const) : ('revisionId' as const),
            percent: s.percent,
            tag: s.tag ?? null,
          })),
        });
        return { appId: result.appId, splits: result.splits.map(presentSplit), updatedAt: result.updatedAt.toISOString() };
      },
    );

    app.post(
      '/workspaces/:wsId/deploy/revisions/:revisionName/promote',
      { schema: { tags, summary: 'Send 100 % of traffic to a revision', params: RevisionParams, response: { 200: PromoteView, 409: Type.Ref('ErrorResponse'), ...errorResponses } } },
      async (request) => {
        const result = await core.promoteRevision({
          actor: actorOf(request),
          workspaceId: request.params.wsId,
          revisionName: request.params.revisionName,
        });
        return {
          appId: result.appId,
          promotedRevision: result.splits[0]?.revisionName ?? request.params.revisionName,
          splits: result.splits.map(presentSplit),
          updatedAt: result.updatedAt.toISOString(),
        };
      },
    );

    app.post(
      '/workspaces/:wsId/deploy/scale',
      { schema: { tags, summary: 'Set the replica count (0 stops the app)', params: WorkspaceParams, body: ScaleBody, response: { 200: ScaleView, ...errorResponses } } },
      async (request) =>
        presentScale(await core.scaleApp({ actor: actorOf(request), workspaceId: request.params.wsId, appId: request.body.appId, replicas: request.body.replicas })),
    );

    app.get(
      '/workspaces/:wsId/apps/:appId/cron-runs',
      {
        schema: {
          tags,
          summary: 'Run history of a cron app',
          params: AppParams,
          querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })) }),
          response: { 200: Type.Array(CronRunView), ...errorResponses },
        },
      },
      async (request) =>
        (await core.listCronRuns({ ...appRef(request), limit: request.query.limit })).map((run) => ({
          id: run.id,
          status: run.status,
          exitCode: run.exitCode,
          scheduledFor: run.scheduledFor.toISOString(),
          startedAt: run.startedAt.toISOString(),
          finishedAt: run.finishedAt?.toISOString() ?? null,
        })),
    );

    app.get(
      '/workspaces/:wsId/deploy/:deployId',
      { schema: { tags, summary: 'Get a deployment', params: DeployParams, response: { 200: DeploymentView, ...errorResponses } } },
      async (request) =>
        presentDeployment(await core.getDeployment({ actor: actorOf(request), workspaceId: request.params.wsId, deploymentId: request.params.deployId })),
    );

    app.get(
      '/workspaces/:wsId/deploy/:deployId/runtime-status',
      { schema: { tags, summary: "Runtime status of a deployment's revision", params: DeployParams, response: { 200: RuntimeStatusView, ...errorResponses } } },
      async (request) =>
        presentRuntimeStatus(await core.deploymentRuntimeStatus({ actor: actorOf(request), workspaceId: request.params.wsId, deploymentId: request.params.deployId })),
    );
  };
