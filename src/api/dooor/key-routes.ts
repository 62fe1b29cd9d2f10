// API keys: whoami, list, create (plain key returned once), delete.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Core } from '../../core/create-core.js';
import { actorOf } from '../auth.js';
import { WorkspaceParams, errorResponses } from './schemas/common.js';
import { ApiKeyView, CreateKeyBody, CreatedKey, KeyParams, WhoAmIView } from './schemas/key-schemas.js';
import { presentKey } from './presenters/present-misc.js';

export const keyRoutes =
  (core: Core): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/api-keys/whoami',
      { schema: { tags: ['API keys'], summary: 'Who am I', response: { 200: WhoAmIView, ...errorResponses } } },
      async (request) => {
        const me = await core.whoami({ actor: actorOf(request) });
        return {
          keyId: me.keyId,
          workspaceId: me.workspace.id,
          workspace: { id: me.workspace.id, name: me.workspace.name },
          scopes: [...me.scopes],
        };
      },
    );

    app.get(
      '/workspaces/:wsId/api-keys',
      { schema: { tags: ['API keys'], summary: 'List API keys', params: WorkspaceParams, response: { 200: Type.Array(ApiKeyView), ...errorResponses } } },
      async (request) => (await core.listKeys({ actor: actorOf(request), workspaceId: request.params.wsId })).map(presentKey),
    );

    app.post(
      '/workspaces/:wsId/api-keys',
      {
        schema: {
          tags: ['API keys'],
          summary: 'Create an API key',
          params: WorkspaceParams,
          body: CreateKeyBody,
          response: { 201: CreatedKey, ...errorResponses },
        },
      },
      async (request, reply) => {
        const { key, plainKey } = await core.createKey({
          actor: actorOf(request),
          workspaceId: request.params.wsId,
          name: request.body.name,
          scopes: request.body.scopes,
          expiresAt: request.body.expiresAt ? new Date(request.body.expiresAt) : null,
        });
        return reply.status(201).send({ ...presentKey(key), key: plainKey });
      },
    );

    app.delete(
      '/workspaces/:wsId/api-keys/:keyId',
      { schema: { tags: ['API keys'], summary: 'Delete an API key', params: KeyParams, response: { 204: Type.Null(), ...errorResponses } } },
      async (request, reply) => {
        await core.deleteKey({ actor: actorOf(request), workspaceId: request.params.wsId, keyId: request.params.keyId });
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/workspaces/:wsId/data-products',
      {
        schema: {
          tags: ['Data products'],
          summary: 'Data products (Berth offers none)',
          params: WorkspaceParams,
          response: { 200: Type.Object({ products: Type.Array(Type.Unknown()) }), ...errorResponses },
        },
      },
      async (request) => ({
        products: await core.listDataProducts({ actor: actorOf(request), workspaceId: request.params.wsId }),
      }),
    );
  };
