// Apps in the REST dialect (spec 003): keyset lists with JSON filters and orders, drafts with a
// default empty version, patch (incl. the default version and config), soft delete, restore, purge.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Core } from '../../core/create-core.js';
import type { AppFilter } from '../../domain/app-query.js';
import type { App } from '../../domain/app.js';
import type { Principal } from '../../domain/workspace.js';
import { actorOf } from '../auth.js';
import { parseAppFilter, parseAppOrder } from './app-filter.js';
import { presentApp } from './presenters.js';
import { AppList, AppView, CreateAppBody, IdParams, ListAppsQuery, Success, UpdateAppBody, errors, tags } from './schemas.js';

type ListQuery = (typeof ListAppsQuery)['static'];

/** The query-string shorthands, as conditions of the filter. */
function shorthands(q: ListQuery): AppFilter[] {
  const parts: AppFilter[] = [];
  const eq = (field: AppFilter & { field: string }, value: string | undefined) => value !== undefined && parts.push({ ...field, value });
  if (q.name !== undefined) parts.push({ field: 'name', op: 'contains', value: q.name });
  eq({ field: 'defaultVersionId', op: 'equals', value: null }, q.default_version_id);
  eq({ field: 'lifecycle', op: 'equals', value: null }, q.status);
  eq({ field: 'createdBy', op: 'equals', value: null }, q.api_key_id);
  eq({ field: 'createdBy', op: 'equals', value: null }, q.created_by);
  if (q.public_access !== undefined) parts.push({ field: 'reach', op: 'equals', value: q.public_access ? 'public' : 'private' });
  // Berth has no integrations and no retention tiers: asking for either matches no app.
  if (q.source === 'integration' || q.retention_tier !== undefined) parts.push({ field: 'id', op: 'in', value: [] });
  return parts;
}

function combined(filter: AppFilter | null, extra: AppFilter[]): AppFilter | null {
  const all = filter ? [filter, ...extra] : extra;
  if (all.length === 0) return null;
  return all.length === 1 ? (all[0] ?? null) : { and: all };
}

export const appRoutes =
  (core: Core): FastifyPluginAsyncTypebox =>
  async (app) => {
    const view = async (actor: Principal, apps: readonly App[]) => (await core.appsWithEnv({ actor, apps })).map(({ app: a, env }) => presentApp(a, env));
    const one = async (actor: Principal, a: App) => {
      const [shown] = await view(actor, [a]);
      if (!shown) throw new Error('an app presented as nothing');
      return shown;
    };
    const ref = (request: { principal: Principal | null; params: { id: string } }) => {
      const actor = actorOf(request);
      return { actor, workspaceId: actor.workspaceId, appId: request.params.id };
    };

    app.get('/apps', { schema: { tags, summary: 'List apps (keyset pages, JSON filter and order)', querystring: ListAppsQuery, response: { 200: AppList, ...errors } } }, async (request) => {
      const q = request.query;
      const actor = actorOf(request);
      const page = await core.pageApps({
        actor,
        workspaceId: q.workspace_id ?? actor.workspaceId,
        filter: combined(parseAppFilter(q.filter), shorthands(q)),
        ids: q.ids === undefined ? null : q.ids.split(',').map((id) => id.trim()).filter((id) => id !== ''),
        deleted: q.include_deleted === 'true' ? 'include' : q.include_deleted === 'only' ? 'only' : 'exclude',
        order: parseAppOrder(q.orderBy),
        limit: q.limit ?? 100,
        ...(q.after !== undefined ? { after: q.after } : {}),
        ...(q.before !== undefined ? { before: q.before } : {}),
      });
      return { data: await view(actor, page.apps), pageInfo: page.pageInfo };
    });

    app.post('/apps', { schema: { tags, summary: 'Create a draft app with an empty default version', body: CreateAppBody, response: { 201: AppView, ...errors } } }, async (request, reply) => {
      const b = request.body;
      const actor = actorOf(request);
      const created = await core.createDraftApp({
        actor,
        workspaceId: b.workspaceId ?? actor.workspaceId,
        name: b.name,
        ...(b.description !== undefined ? { description: b.description } : {}),
        ...(b.handle !== undefined ? { slug: b.handle } : {}),
        visibility: b.publicAccess ? 'public' : 'private',
      });
      return reply.status(201).send(await one(actor, created));
    });

    app.get('/apps/:id', { schema: { tags, summary: 'Get an app', params: IdParams, response: { 200: AppView, ...errors } } }, async (request) => {
      const { app: found } = await core.getApp(ref(request));
      return one(actorOf(request), found);
    });

    app.patch('/apps/:id', { schema: { tags, summary: 'Update an app', params: IdParams, body: UpdateAppBody, response: { 200: AppView, ...errors } } }, async (request) => {
      const b = request.body;
      const settings = {
        ...(b.name !== undefined ? { name: b.name } : {}),
        ...(b.description !== undefined ? { description: b.description } : {}),
        ...(b.handle !== undefined ? { slug: b.handle } : {}),
        ...(b.publicAccess !== undefined ? { visibility: b.publicAccess ? ('public' as const) : ('private' as const) } : {}),
      };
      const versioning = {
        ...(b.defaultVersionId !== undefined ? { defaultVersionId: b.defaultVersionId } : {}),
        ...(b.config?.nodeVersion !== undefined ? { nodeVersion: b.config.nodeVersion } : {}),
      };
      const changed = await core.changeApp({
        ...ref(request),
        ...(Object.keys(settings).length > 0 ? { settings } : {}),
        ...(Object.keys(versioning).length > 0 ? { versioning } : {}),
        ...(b.config?.env !== undefined ? { env: b.config.env, envScope: 'runtime' as const } : {}),
      });
      return one(actorOf(request), changed.app);
    });

    app.delete('/apps/:id', { schema: { tags, summary: 'Soft-delete an app (restore brings it back)', params: IdParams, response: { 200: Success, ...errors } } }, async (request) => {
      await core.deleteApp({ ...ref(request), permanent: false });
      return { success: true };
    });

    app.post('/apps/:id/restore', { schema: { tags, summary: 'Restore a soft-deleted app (409 when its handle was taken meanwhile)', params: IdParams, response: { 200: AppView, ...errors } } }, async (request) =>
      one(actorOf(request), await core.restoreApp(ref(request))),
    );

    app.delete('/apps/:id/purge', { schema: { tags, summary: 'Permanently delete an app', params: IdParams, response: { 200: Success, ...errors } } }, async (request) => {
      await core.deleteApp({ ...ref(request), permanent: true });
      return { success: true };
    });
  };
