// The Apps API (spec 002) as one encapsulated plugin: its own error presenter, the key's
// workspace as the scope of every call, multipart bodies for /build, and its routes.
import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Core } from '../../core/create-core.js';
import { requireKey } from '../auth.js';
import { installErrorPresenter } from '../error-presenter.js';
import { actionRoutes } from './action-routes.js';
import { scopeOf } from './app-ref.js';
import { appRoutes, tags } from './app-routes.js';
import { observeRoutes } from './observe-routes.js';
import { appsV1Errors } from './present-error.js';
import { presentTemplate } from './presenters.js';
import { AppsV1Error, TemplateView, errors } from './schemas.js';

/** Paths this dialect owns (unknown routes under them are answered in its shape). */
export const appsV1Prefixes = ['/api/v1/apps', '/api/v1/templates'];

export const appsV1Api =
  (core: Core): FastifyPluginAsyncTypebox =>
  async (app) => {
    installErrorPresenter(app, appsV1Errors);
    app.addSchema(AppsV1Error);
    requireKey(app, core);
    // Bigger than the upload limit, so the core's own check (which names the limit) refuses first.
    await app.register(multipart, { limits: { files: 1, fields: 10, parts: 11, fileSize: core.settings.builds.maxUploadBytes + 1 } });
    await app.register(appRoutes(core));
    await app.register(actionRoutes(core));
    await app.register(observeRoutes(core));
    app.get('/templates', { schema: { tags, summary: 'The one-click app catalog (use an id as `template` when creating an app)', response: { 200: Type.Array(TemplateView), ...errors } } }, async (request) =>
      (await core.listTemplates(scopeOf(request))).map(presentTemplate),
    );
  };
