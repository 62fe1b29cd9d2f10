// Public shares and custom domains of an app (spec 000).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Core } from '../../core/create-core.js';
import { appRef } from '../auth.js';
import { AppParams, errorResponses } from './schemas/common.js';
import { AddDomainBody, CreateShareBody, DomainParams, DomainView, ShareParams, ShareView } from './schemas/share-domain-schemas.js';
import { presentDomain, presentShare } from './presenters/present-misc.js';

export const shareDomainRoutes =
  (core: Core): FastifyPluginAsyncTypebox =>
  async (app) => {
    const urls = core.settings;

    app.post(
      '/workspaces/:wsId/apps/:appId/public-shares',
      { schema: { tags: ['Public shares'], summary: 'Create a share link', params: AppParams, body: CreateShareBody, response: { 201: ShareView, ...errorResponses } } },
      async (request, reply) => {
        const body = request.body ?? {};
        const { share, slug } = await core.createShare({
          ...appRef(request),
          expiresAt: body.expiresAt ? new Date(body.expiresAt) : null,
          requireAuth: body.requireAuth ?? false,
        });
        return reply.status(201).send(presentShare(share, slug, urls));
      },
    );

    app.get(
      '/workspaces/:wsId/apps/:appId/public-shares',
      { schema: { tags: ['Public shares'], summary: 'List active share links', params: AppParams, response: { 200: Type.Array(ShareView), ...errorResponses } } },
      async (request) => {
        const { shares, slug } = await core.listShares(appRef(request));
        return shares.map((share) => presentShare(share, slug, urls));
      },
    );

    app.delete(
      '/workspaces/:wsId/apps/:appId/public-shares/:shareId',
      { schema: { tags: ['Public shares'], summary: 'Revoke a share link', params: ShareParams, response: { 204: Type.Null(), ...errorResponses } } },
      async (request, reply) => {
        await core.revokeShare({ ...appRef(request), shareId: request.params.shareId });
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/workspaces/:wsId/apps/:appId/domains',
      { schema: { tags: ['Custom domains'], summary: 'Add a custom domain', params: AppParams, body: AddDomainBody, response: { 201: DomainView, ...errorResponses } } },
      async (request, reply) => {
        const domain = await core.addDomain({
          ...appRef(request),
          domain: request.body.domain,
          targetPort: request.body.targetPort ?? null,
        });
        return reply.status(201).send(presentDomain(domain, urls));
      },
    );

    app.get(
      '/workspaces/:wsId/apps/:appId/domains',
      { schema: { tags: ['Custom domains'], summary: 'List custom domains', params: AppParams, response: { 200: Type.Array(DomainView), ...errorResponses } } },
      async (request) => (await core.listDomains(appRef(request))).map((d) => presentDomain(d, urls)),
    );

    app.post(
      '/workspaces/:wsId/apps/:appId/domains/:domainId/verify',
      { schema: { tags: ['Custom domains'], summary: 'Check DNS for a custom domain', params: DomainParams, response: { 200: DomainView, ...errorResponses } } },
      async (request) => presentDomain((await core.verifyDomain({ ...appRef(request), domainId: request.params.domainId })).domain, urls),
    );

    app.delete(
      '/workspaces/:wsId/apps/:appId/domains/:domainId',
      { schema: { tags: ['Custom domains'], summary: 'Remove a custom domain', params: DomainParams, response: { 204: Type.Null(), ...errorResponses } } },
      async (request, reply) => {
        await core.removeDomain({ ...appRef(request), domainId: request.params.domainId });
        return reply.status(204).send(null);
      },
    );
  };
