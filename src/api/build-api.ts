// Assembles the HTTP API: JSON-only parsing, strict validation, key authentication, every
// dialect's routes with its own error shape, and one OpenAPI document generated from their
// schemas (a tag per dialect's pages; docs at /docs).
import websocket from '@fastify/websocket';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { LogController } from 'fastify';
import type { FastifyInstance } from 'fastify';
import type { Core } from '../core/create-core.js';
import { createValidatorCompiler } from './ajv-compilers.js';
import { requireKey } from './auth.js';
import { consoleRoutes } from './console-routes.js';
import { appRoutes } from './dooor/app-routes.js';
import { deployRoutes } from './dooor/deploy-routes.js';
import { deployBuildRoutes, publicBuildRoutes } from './dooor/deploy-build-routes.js';
import { keyRoutes } from './dooor/key-routes.js';
import { registryCredentialRoutes } from './dooor/registry-credential-routes.js';
import { monitoringRoutes } from './dooor/monitoring-routes.js';
import { ErrorResponse } from './dooor/schemas/common.js';
import { shareDomainRoutes } from './dooor/share-domain-routes.js';
import { sourceEnvRoutes } from './dooor/source-env-routes.js';
import { databaseRoutes } from './dooor/database-routes.js';
import { volumeRoutes } from './dooor/volume-routes.js';
import { dooorErrors } from './dooor/present-error.js';
import { installErrorPresenter, installNotFound } from './error-presenter.js';
import { installJsonParser } from './json-body-parser.js';
import { appsV1Api, appsV1Prefixes } from './apps-v1/apps-v1-api.js';
import { appsV1Errors } from './apps-v1/present-error.js';
import { restApi, restErrors, restPrefixes } from './rest/rest-api.js';

export interface ApiOptions {
  core: Core;
  maxBodyBytes: number;
  logLevel: string;
  version: string;
  /** The built web console (web/dist); null or missing: `/` says how to build it. */
  consoleDir?: string | null;
}

export async function buildApi(options: ApiOptions): Promise<FastifyInstance> {
  const app = Fastify({
    bodyLimit: options.maxBodyBytes,
    logger: {
      level: options.logLevel,
      redact: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie'],
    },
    // Per-request lines only when debugging: they cost more than the requests they describe.
    logController: new LogController({ disableRequestLogging: options.logLevel !== 'debug' && options.logLevel !== 'trace' }),
    ajv: { customOptions: { allErrors: true } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setValidatorCompiler(createValidatorCompiler());
  app.decorateRequest('principal', null);
  installJsonParser(app);
  // Routes outside every dialect (docs, /metrics, /healthz) answer in the primary dialect's shape.
  installErrorPresenter(app, dooorErrors);
  installNotFound(
    app,
    [
      { prefixes: appsV1Prefixes, presenter: appsV1Errors },
      { prefixes: restPrefixes, presenter: restErrors },
    ],
    dooorErrors,
  );
  app.addSchema(ErrorResponse);
  // At the root, so its hooks run before any route's authentication: a refused upgrade (401)
  // then has its socket closed instead of held open, which would also stall Berth's shutdown.
  await app.register(websocket);

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Berth API',
        version: options.version,
        description:
          'Berth serves three API dialects over one core: the Dooor v1 API (`/api/v1/workspaces/…`, `/api/v1/api-keys/…`; NestJS-style errors) and the Apps API (`/api/v1/apps`, `/api/v1/templates`, tag "Apps API (v1)"; snake_case, errors as `{ error: { status, code, message, details, request_id } }`) and the REST dialect (`/api/apps`, `/api/app-versions/…`, tag "REST"; camelCase, keyset pages, NestJS-style errors). Authenticate with `Authorization: Bearer dor_sk_…` or `X-Api-Key`.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key' },
        },
      },
      security: [{ bearer: [] }, { apiKey: [] }],
    },
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? `def-${i}`) },
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    staticCSP: true,
    uiConfig: { deepLinking: true },
    theme: { title: 'Berth API reference' },
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));

  await app.register(
    async (dooor) => {
      installErrorPresenter(dooor, dooorErrors);
      requireKey(dooor, options.core);
      await dooor.register(keyRoutes(options.core));
      await dooor.register(registryCredentialRoutes(options.core));
      await dooor.register(appRoutes(options.core));
      await dooor.register(shareDomainRoutes(options.core));
      await dooor.register(sourceEnvRoutes(options.core));
      await dooor.register(deployRoutes(options.core));
      await dooor.register(deployBuildRoutes(options.core));
      await dooor.register(databaseRoutes(options.core));
      await dooor.register(volumeRoutes(options.core));
    },
    { prefix: '/api/v1' },
  );
  await app.register(publicBuildRoutes(options.core), { prefix: '/api/v1' });
  await app.register(appsV1Api(options.core), { prefix: '/api/v1' });
  await app.register(restApi(options.core), { prefix: '/api' });
  await app.register(monitoringRoutes(options.core));
  await app.register(consoleRoutes(options.consoleDir ?? null));
  return app;
}
