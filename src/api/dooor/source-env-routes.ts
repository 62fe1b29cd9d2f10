// App source and runtime env vars (client-contract.md).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Core } from '../../core/create-core.js';
import { appRef } from '../auth.js';
import { fromWord, sourceTypeWords } from '../dialect-words.js';
import { AppParams, errorResponses } from './schemas/common.js';
import { BulkEnvVarBody, EnvVarBody, EnvVarParams, EnvVarView, SourceBody, SourceView } from './schemas/source-env-schemas.js';
import { presentSource } from './presenters/present-app.js';
import { presentEnvVar } from './presenters/present-misc.js';

export const sourceEnvRoutes =
  (core: Core): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/workspaces/:wsId/apps/:appId/source',
      { schema: { tags: ['App source'], summary: 'Get the app source', params: AppParams, response: { 200: SourceView, ...errorResponses } } },
      async (request) => presentSource(await core.getAppSource(appRef(request))),
    );

    app.patch(
      '/workspaces/:wsId/apps/:appId/source',
      { schema: { tags: ['App source'], summary: 'Set the app source', params: AppParams, body: SourceBody, response: { 200: SourceView, ...errorResponses } } },
      async (request) => {
        const b = request.body;
        const updated = await core.setAppSource({
          ...appRef(request),
          source: {
            type: fromWord(sourceTypeWords.dooor, b.type),
            gitRepoUrl: b.gitRepoUrl,
            gitBranch: b.gitBranch,
            gitProvider: b.gitProvider,
            gitInstallationId: b.gitInstallationId,
            imageRef: b.imageRef,
            imageRegistryAuthRef: b.imageRegistryAuthRef,
          },
        });
        return presentSource(updated);
      },
    );

    app.get(
      '/workspaces/:wsId/apps/:appId/env-vars',
      { schema: { tags: ['Env vars'], summary: 'List env vars (secrets masked)', params: AppParams, response: { 200: Type.Array(EnvVarView), ...errorResponses } } },
      async (request) => (await core.listEnvVars(appRef(request))).map(presentEnvVar),
    );

    app.post(
      '/workspaces/:wsId/apps/:appId/env-vars',
      { schema: { tags: ['Env vars'], summary: 'Create or replace an env var', params: AppParams, body: EnvVarBody, response: { 201: EnvVarView, ...errorResponses } } },
      async (request, reply) => {
        const b = request.body;
        const saved = await core.setEnvVar({
          ...appRef(request),
          envVar: { key: b.key, value: b.value, isSecret: b.isSecret ?? false },
        });
        return reply.status(201).send(presentEnvVar(saved));
      },
    );

    app.post(
      '/workspaces/:wsId/apps/:appId/env-vars/bulk',
      { schema: { tags: ['Env vars'], summary: 'Set many env vars at once', params: AppParams, body: BulkEnvVarBody, response: { 200: Type.Array(EnvVarView), ...errorResponses } } },
      async (request) => {
        const saved = await core.setEnvVars({
          ...appRef(request),
          vars: request.body.vars.map((v) => ({ key: v.key, value: v.value, isSecret: v.isSecret ?? false })),
        });
        return saved.map(presentEnvVar);
      },
    );

    app.delete(
      '/workspaces/:wsId/apps/:appId/env-vars/:envVarId',
      { schema: { tags: ['Env vars'], summary: 'Delete an env var (by id or key)', params: EnvVarParams, response: { 204: Type.Null(), ...errorResponses } } },
      async (request, reply) => {
        await core.deleteEnvVar({ ...appRef(request), envVarId: request.params.envVarId });
        return reply.status(204).send(null);
      },
    );
  };
