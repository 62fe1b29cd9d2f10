// The Apps page (spec 000): list, create, get, update, soft and permanent delete, stats, pipeline state.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import type { AppFields } from '../../core/apps/app-input.js';
import { appSettingKeys } from '../../domain/app.js';
import type { AppSettingKey } from '../../domain/app.js';
import type { Core } from '../../core/create-core.js';
import { actorOf, appRef } from '../auth.js';
import { appStatusWords, fromWord } from '../dialect-words.js';
import { AppDetail, AppList, AppStats, CreateAppBody, ListAppsQuery, PipelineView, UpdateAppBody } from './schemas/app-schemas.js';
import { AppParams, ErrorResponse, WorkspaceParams, errorResponses } from './schemas/common.js';
import { presentApp, presentAppSummary } from './presenters/present-app.js';
import { presentPipeline } from './presenters/present-pipeline.js';

const tags = ['Apps'];

/** The settings this dialect's body carries (buildCommand is not on its wire). */
type DooorSettingKey = Exclude<AppSettingKey, 'buildCommand'>;
const dooorSettingKeys = appSettingKeys.filter((key): key is DooorSettingKey => key !== 'buildCommand');

/** The app settings of a create or update body, copied key by key (never a spread of the body). */
function appFieldsOf(b: Static<typeof UpdateAppBody>): AppFields {
  const fields: Record<string, unknown> = {};
  for (const key of dooorSettingKeys) if (b[key] !== undefined) fields[key] = b[key];
  return fields as AppFields;
}

export const appRoutes =
  (core: Core): FastifyPluginAsyncTypebox =>
  async (app) => {
    const urls = core.settings;

    app.get(
      '/workspaces/:wsId/apps',
      { schema: { tags, summary: 'List apps', params: WorkspaceParams, querystring: ListAppsQuery, response: { 200: AppList, ...errorResponses } } },
      async (request) => {
        const q = request.query;
        const result = await core.listApps({
          actor: actorOf(request),
          workspaceId: request.params.wsId,
          page: q.page,
          limit: q.limit,
          ...(q.type ? { type: q.type } : {}),
          ...(q.status ? { status: fromWord(appStatusWords.dooor, q.status) } : {}),
          ...(q.search ? { search: q.search } : {}),
        });
        return {
          data: result.apps.map((a) => presentAppSummary(a, urls)),
          meta: { total: result.total, page: result.page, limit: result.limit, totalPages: result.totalPages },
        };
      },
    );

    app.post(
      '/workspaces/:wsId/apps',
      { schema: { tags, summary: 'Create an app', params: WorkspaceParams, body: CreateAppBody, response: { 201: AppDetail, 409: Type.Ref(ErrorResponse), ...errorResponses } } },
      async (request, reply) => {
        const created = await core.createApp({
          actor: actorOf(request),
          workspaceId: request.params.wsId,
          ...appFieldsOf(request.body),
          name: request.body.name,
          slug: request.body.slug,
        });
        return reply.status(201).send(presentApp(created, urls, core.replicasNow(created), { latestDeployment: null, nextRunAt: null }));
      },
    );

    app.get(
      '/workspaces/:wsId/apps/stats',
      { schema: { tags, summary: 'App counts by status', params: WorkspaceParams, response: { 200: AppStats, ...errorResponses } } },
      async (request) => {
        const { total, counts } = await core.appStats({ actor: actorOf(request), workspaceId: request.params.wsId });
        return {
          total,
          active: counts.active ?? 0,
          deploying: counts.deploying ?? 0,
          failed: counts.failed ?? 0,
          stopped: counts.stopped ?? 0,
          buildFailed: counts.build_failed ?? 0,
          disabled: counts.disabled ?? 0,
        };
      },
    );

    app.get(
      '/workspaces/:wsId/apps/:appId',
      { schema: { tags, summary: 'Get an app', params: AppParams, response: { 200: AppDetail, ...errorResponses } } },
      async (request) => {
        const { app: found, latestDeployment, nextRunAt } = await core.getApp(appRef(request));
        return presentApp(found, urls, core.replicasNow(found), { latestDeployment, nextRunAt });
      },
    );

    app.patch(
      '/workspaces/:wsId/apps/:appId',
      { schema: { tags, summary: 'Update an app (only the given fields)', params: AppParams, body: UpdateAppBody, response: { 200: AppDetail, ...errorResponses } } },
      async (request) => {
        const updated = await core.updateApp({ ...appRef(request), changes: appFieldsOf(request.body ?? {}) });
        return presentApp(updated, urls, core.replicasNow(updated));
      },
    );

    app.delete(
      '/workspaces/:wsId/apps/:appId',
      { schema: { tags, summary: 'Soft-delete an app', params: AppParams, response: { 204: Type.Null(), ...errorResponses } } },
      async (request, reply) => {
        await core.deleteApp({ ...appRef(request), permanent: false });
        return reply.status(204).send(null);
      },
    );

    app.delete(
      '/workspaces/:wsId/apps/:appId/permanent',
      { schema: { tags, summary: 'Permanently delete an app and everything it owns', params: AppParams, response: { 204: Type.Null(), ...errorResponses } } },
      async (request, reply) => {
        await core.deleteApp({ ...appRef(request), permanent: true });
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/workspaces/:wsId/apps/:appId/pipeline-state',
      { schema: { tags, summary: 'Pipeline state', params: AppParams, response: { 200: PipelineView, ...errorResponses } } },
      async (request) => presentPipeline(await core.pipelineState(appRef(request))),
    );
  };
