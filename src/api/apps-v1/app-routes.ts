// Apps (spec 002): list, create and deploy in one call, get, change (replicas scale, env merges
// and rolls out), delete (the app and everything it runs, for good).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Core } from '../../core/create-core.js';
import { fromWord, sourceTypeWords } from '../dialect-words.js';
import { appOf, scopeOf } from './app-ref.js';
import { presentAppDetail, presentAppSummary } from './presenters.js';
import { AppDetail, AppParams, AppSummary, CreateAppBody, UpdateAppBody, errorRef, errors } from './schemas.js';

export const tags = ['Apps API (v1)'];

export const appRoutes =
  (core: Core): FastifyPluginAsyncTypebox =>
  async (app) => {
    const urls = core.settings;

    app.get('/apps', { schema: { tags, summary: 'List apps', response: { 200: Type.Array(AppSummary), ...errors } } }, async (request) =>
      (await core.listAppOverviews(scopeOf(request))).map((o) => presentAppSummary(o, urls)),
    );

    app.post(
      '/apps',
      { schema: { tags, summary: 'Create an app and deploy it', body: CreateAppBody, response: { 201: AppDetail, 409: errorRef, ...errors } } },
      async (request, reply) => {
        const b = request.body;
        const launched = await core.launchApp({
          ...scopeOf(request),
          name: b.name,
          source: { type: fromWord(sourceTypeWords.appsV1, b.source_type), gitRepoUrl: b.repo_url, gitBranch: b.repo_branch, imageRef: b.image_url },
          port: b.port,
          buildCommand: b.build_command,
          replicas: b.replicas,
          env: b.env,
          templateId: b.template,
        });
        const detail = await core.describeApp({ ...scopeOf(request), appId: launched.app.id });
        return reply.status(201).send(presentAppDetail(detail, urls, launched.deployment));
      },
    );

    app.get('/apps/:id', { schema: { tags, summary: 'Get an app', params: AppParams, response: { 200: AppDetail, ...errors } } }, async (request) =>
      presentAppDetail(await core.describeApp(appOf(request)), urls),
    );

    app.patch(
      '/apps/:id',
      { schema: { tags, summary: 'Update configuration, scaling or environment', params: AppParams, body: UpdateAppBody, response: { 200: AppDetail, 409: errorRef, ...errors } } },
      async (request) => {
        const b = request.body;
        const settings = {
          ...(b.name !== undefined ? { name: b.name } : {}),
          ...(b.port !== undefined ? { port: b.port } : {}),
          ...(b.build_command !== undefined ? { buildCommand: b.build_command } : {}),
        };
        const source = {
          ...(b.repo_url !== undefined ? { gitRepoUrl: b.repo_url } : {}),
          ...(b.repo_branch !== undefined ? { gitBranch: b.repo_branch } : {}),
          ...(b.image_url !== undefined ? { imageRef: b.image_url } : {}),
        };
        const changed = await core.changeApp({
          ...appOf(request),
          ...(Object.keys(settings).length > 0 ? { settings } : {}),
          ...(Object.keys(source).length > 0 ? { source } : {}),
          replicas: b.replicas,
          env: b.env,
        });
        const detail = await core.describeApp({ ...scopeOf(request), appId: changed.app.id });
        return presentAppDetail(detail, urls, changed.deployment);
      },
    );

    app.delete(
      '/apps/:id',
      { schema: { tags, summary: 'Delete an app: its instances stop, its routes, env and history go', params: AppParams, response: { 204: Type.Null(), ...errors } } },
      async (request, reply) => {
        await core.deleteApp({ ...appOf(request), permanent: true });
        return reply.status(204).send(null);
      },
    );
  };
