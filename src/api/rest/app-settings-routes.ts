// An app's build-time env and its one domain (spec 003).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Core } from '../../core/create-core.js';
import { appDomainStatus } from '../../core/domains/app-domain.js';
import type { CustomDomain } from '../../domain/custom-domain.js';
import type { Principal } from '../../domain/workspace.js';
import { secretMask } from '../apps-v1/presenters.js';
import { actorOf } from '../auth.js';
import { DomainView, EnvList, EnvNameQuery, IdParams, SetDomainBody, SetEnvBody, Success, errors, tags } from './schemas.js';

export const appSettingsRoutes =
  (core: Core): FastifyPluginAsyncTypebox =>
  async (app) => {
    const ref = (request: { principal: Principal | null; params: { id: string } }) => {
      const actor = actorOf(request);
      return { actor, workspaceId: actor.workspaceId, appId: request.params.id };
    };
    const presentDomain = (d: CustomDomain) => ({
      id: d.id,
      appId: d.appId,
      hostname: d.domain,
      status: appDomainStatus(d, core.settings.edgeScheme),
      lastError: d.tlsError,
      createdBy: null,
      createdAt: d.createdAt.toISOString(),
      updatedAt: (d.verifiedAt ?? d.createdAt).toISOString(),
    });

    app.get('/apps/:id/env', { schema: { tags, summary: 'List build-time env vars (given to build steps only)', params: IdParams, response: { 200: EnvList, ...errors } } }, async (request) => ({
      data: (await core.listBuildEnv(ref(request))).map((v) => ({ name: v.key, type: v.isSecret ? ('secret' as const) : ('plain' as const), value: v.isSecret ? secretMask : v.value })),
    }));
    app.put('/apps/:id/env', { schema: { tags, summary: 'Set a build-time env var (effective at the next build)', params: IdParams, body: SetEnvBody, response: { 200: Success, ...errors } } }, async (request) => {
      await core.setBuildEnv({ ...ref(request), name: request.body.name, value: request.body.value });
      return { success: true };
    });
    app.delete('/apps/:id/env', { schema: { tags, summary: 'Delete a build-time env var (effective at the next build)', params: IdParams, querystring: EnvNameQuery, response: { 200: Success, ...errors } } }, async (request) => {
      await core.deleteBuildEnv({ ...ref(request), name: request.query.name });
      return { success: true };
    });

    app.get('/apps/:id/domain', { schema: { tags, summary: 'Get the custom domain attached to an app', params: IdParams, response: { 200: DomainView, ...errors } } }, async (request) =>
      presentDomain(await core.getAppDomain(ref(request))),
    );
    app.put('/apps/:id/domain', { schema: { tags, summary: 'Attach (or replace) the app’s custom domain', params: IdParams, body: SetDomainBody, response: { 200: DomainView, ...errors } } }, async (request) =>
      presentDomain(await core.setAppDomain({ ...ref(request), hostname: request.body.hostname })),
    );
    app.delete('/apps/:id/domain', { schema: { tags, summary: 'Detach the app’s custom domain', params: IdParams, response: { 200: Success, ...errors } } }, async (request) => {
      await core.removeAppDomain(ref(request));
      return { success: true };
    });
  };
