// Preview sessions (spec 003): start or wake one for an app version, read it, keep it alive, stop it.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Core } from '../../core/create-core.js';
import { previewUrl } from '../../domain/names.js';
import type { PreviewSession } from '../../domain/preview-session.js';
import type { Principal } from '../../domain/workspace.js';
import { actorOf } from '../auth.js';
import { presentPreview } from './presenters.js';
import { KeepaliveView, PreviewView, SessionParams, StartPreviewBody, Success, errors, tags } from './schemas.js';

export const previewRoutes =
  (core: Core): FastifyPluginAsyncTypebox =>
  async (app) => {
    const present = (session: PreviewSession) =>
      presentPreview(session, previewUrl(session.id, core.settings.baseDomain, core.settings.edgePort, core.settings.edgeScheme));
    const sessionOf = (request: { principal: Principal | null; params: { sessionId: string } }) => {
      const actor = actorOf(request);
      return { actor, workspaceId: actor.workspaceId, sessionId: request.params.sessionId };
    };

    app.post(
      '/app-preview-sessions',
      {
        schema: {
          tags,
          summary: 'Start (or wake) a live preview session',
          description: 'Reuses the version’s session while it has not ended (and keeps it alive); else starts one, within BERTH_PREVIEW_MAX_PER_WORKSPACE (409 beyond).',
          body: StartPreviewBody,
          response: { 201: PreviewView, ...errors },
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        const session = await core.startPreview({ actor, workspaceId: actor.workspaceId, versionId: request.body.appVersionId });
        return reply.status(201).send(present(session));
      },
    );

    app.get('/apps/preview/:sessionId', { schema: { tags, summary: 'Get current state of a preview session', params: SessionParams, response: { 200: PreviewView, ...errors } } }, async (request) =>
      present(await core.getPreview(sessionOf(request))),
    );

    app.delete('/apps/preview/:sessionId', { schema: { tags, summary: 'Stop a preview session', params: SessionParams, response: { 200: Success, ...errors } } }, async (request) => {
      await core.stopPreview(sessionOf(request));
      return { success: true };
    });

    app.post(
      '/apps/preview/:sessionId/keepalive',
      { schema: { tags, summary: 'Keep a preview session alive (called by the client every ~30s)', params: SessionParams, response: { 200: KeepaliveView, ...errors } } },
      async (request) => {
        const session = await core.keepPreviewAlive(sessionOf(request));
        return { id: session.id, status: session.status };
      },
    );
  };
