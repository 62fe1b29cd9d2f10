// A workspace's registry credentials for IMAGE deploys: create, list and delete (issue 11).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Core } from '../../core/create-core.js';
import type { RegistryCredential } from '../../domain/registry-credential.js';
import { actorOf } from '../auth.js';
import { WorkspaceParams, errorResponses } from './schemas/common.js';
import { CreateRegistryCredentialBody, RegistryCredentialParams, RegistryCredentialView } from './schemas/registry-credential-schemas.js';

const present = (c: RegistryCredential) => ({ id: c.id, name: c.name, registry: c.registry, username: c.username, createdAt: c.createdAt.toISOString() });
const tags = ['Registry credentials'];

export const registryCredentialRoutes =
  (core: Core): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/workspaces/:wsId/registry-credentials',
      { schema: { tags, summary: 'List registry credentials (never their passwords)', params: WorkspaceParams, response: { 200: Type.Array(RegistryCredentialView), ...errorResponses } } },
      async (request) => (await core.listRegistryCredentials({ actor: actorOf(request), workspaceId: request.params.wsId })).map(present),
    );

    app.post(
      '/workspaces/:wsId/registry-credentials',
      {
        schema: {
          tags,
          summary: 'Store a registry credential that IMAGE deploys name by registryAuthRef',
          params: WorkspaceParams,
          body: CreateRegistryCredentialBody,
          response: { 201: RegistryCredentialView, ...errorResponses },
        },
      },
      async (request, reply) => {
        const created = await core.createRegistryCredential({ actor: actorOf(request), workspaceId: request.params.wsId, ...request.body });
        return reply.status(201).send(present(created));
      },
    );

    app.delete(
      '/workspaces/:wsId/registry-credentials/:credentialId',
      { schema: { tags, summary: 'Delete a registry credential', params: RegistryCredentialParams, response: { 204: Type.Null(), ...errorResponses } } },
      async (request, reply) => {
        await core.deleteRegistryCredential({ actor: actorOf(request), workspaceId: request.params.wsId, credentialId: request.params.credentialId });
        return reply.status(204).send(null);
      },
    );
  };
