// The REST dialect (spec 003) as one encapsulated plugin: NestJS errors in its own words, the
// key's workspace as the default scope, and its routes under /api.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Core } from '../../core/create-core.js';
import { requireKey } from '../auth.js';
import { nestErrors } from '../dooor/present-error.js';
import { installErrorPresenter } from '../error-presenter.js';
import { appRoutes } from './app-routes.js';
import { appSettingsRoutes } from './app-settings-routes.js';
import { buildRoutes } from './build-routes.js';
import { restWords } from './rest-words.js';
import { versionRoutes } from './version-routes.js';

/** Paths this dialect owns (unknown routes under them are answered in its shape). */
export const restPrefixes = ['/api/apps', '/api/app-versions', '/api/app-preview-sessions'];
export const restErrors = nestErrors(restWords);

export const restApi =
  (core: Core): FastifyPluginAsyncTypebox =>
  async (app) => {
    installErrorPresenter(app, restErrors);
    requireKey(app, core);
    await app.register(appRoutes(core));
    await app.register(versionRoutes(core));
    await app.register(appSettingsRoutes(core));
    await app.register(buildRoutes(core));
  };
