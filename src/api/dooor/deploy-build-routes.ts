// The Deploy API's build side (spec 001, client-contract.md): trigger, list, build logs (whole,
// or live over SSE or WebSocket), cancel, rollback, env-var sync, uploads and the push webhook.
// The signed upload PUT and the webhook authenticate themselves and are registered without a key.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Core } from '../../core/create-core.js';
import type { BuildLogLine } from '../../domain/build.js';
import { actorOf, appRef, requestOrigin } from '../auth.js';
import { followAsSse } from '../sse-follow.js';
import { deploymentStatusWords, fromWord, sourceTypeWords, triggerWords } from '../dialect-words.js';
import { AppParams, WorkspaceParams, errorResponses } from './schemas/common.js';
import { DeployParams, DeploymentView } from './schemas/deploy-schemas.js';
import {
  BuildLogsView,
  DeployListQuery,
  DeployListView,
  PushView,
  TriggerBody,
  UploadCompleteBody,
  UploadCompleteView,
  UploadInitBody,
  UploadInitView,
  UploadParams,
  WebhookView,
} from './schemas/deploy-build-schemas.js';
import { presentDeployment, presentUpload } from './presenters/present-deploy.js';

const tags = ['Deploy'];

const presentLine = (line: BuildLogLine) => ({ seq: line.seq, at: line.at.toISOString(), line: line.line });

export const deployBuildRoutes =
  (core: Core): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/workspaces/:wsId/deploy',
      { schema: { tags, summary: 'Trigger a build and deployment', params: WorkspaceParams, body: TriggerBody, response: { 201: DeploymentView, ...errorResponses } } },
      async (request, reply) => {
        const b = request.body;
        const deployment = await core.triggerDeploy({
          actor: actorOf(request),
          workspaceId: request.params.wsId,
          appId: b.appId,
          gitBranch: b.gitBranch,
          gitCommitSha: b.gitCommitSha,
          source: b.source ? { type: fromWord(sourceTypeWords.dooor, b.source.type), uploadId: b.source.uploadId, imageRef: b.source.imageRef, registryAuthRef: b.source.registryAuthRef } : undefined,
          triggerType: fromWord(triggerWords.dooor, b.triggerType),
        });
        return reply.status(201).send(presentDeployment(deployment));
      },
    );

    app.get(
      '/workspaces/:wsId/deploy',
      { schema: { tags, summary: "List an app's deployments, newest first", params: WorkspaceParams, querystring: DeployListQuery, response: { 200: DeployListView, ...errorResponses } } },
      async (request) => {
        const q = request.query;
        const result = await core.listDeployments({
          actor: actorOf(request),
          workspaceId: request.params.wsId,
          appId: q.appId,
          page: q.page,
          limit: q.limit,
          status: fromWord(deploymentStatusWords.dooor, q.status),
        });
        return {
          data: result.items.map(presentDeployment),
          meta: { total: result.total, page: result.page, limit: result.limit, totalPages: result.totalPages },
        };
      },
    );

    app.get(
      '/workspaces/:wsId/deploy/:deployId/logs',
      { schema: { tags, summary: 'The whole build log', params: DeployParams, response: { 200: BuildLogsView, ...errorResponses } } },
      async (request) => ({ logs: await core.getBuildLogs({ actor: actorOf(request), workspaceId: request.params.wsId, deploymentId: request.params.deployId }) }),
    );

    app.route({
      method: 'GET',
      url: '/workspaces/:wsId/deploy/:deployId/logs/stream',
      // Browsers' EventSource and WebSocket cannot send headers: the key may come as ?token=.
      config: { queryToken: true },
      schema: {
        tags,
        summary: 'Follow the build log live: Server-Sent Events, or a WebSocket on upgrade (replays, then follows); the key may be given as ?token=',
        params: DeployParams,
        querystring: Type.Object({ token: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'API key, for browsers that cannot send headers' })) }),
        response: { 200: Type.String({ description: 'text/event-stream' }), ...errorResponses },
      },
      handler: async (request, reply) => {
        const params = request.params as { wsId: string; deployId: string };
        await followAsSse(request, reply, {
          heartbeatMs: core.settings.monitoring.sseHeartbeatMs,
          follow: (hooks) => core.followBuildLogs({ actor: actorOf(request), workspaceId: params.wsId, deploymentId: params.deployId, ...hooks }),
          presentLine,
          presentEnd: (final) => ({ status: final.status, error: final.error }),
        });
      },
      wsHandler: (socket, request) => {
        const params = request.params as { wsId: string; deployId: string };
        const controller = new AbortController();
        socket.on('close', () => controller.abort());
        const ref = { actor: actorOf(request), workspaceId: params.wsId, deploymentId: params.deployId };
        core
          .followBuildLogs({ ...ref, signal: controller.signal, onLine: (line) => socket.send(JSON.stringify(presentLine(line))) })
          .then((final) => {
            socket.send(JSON.stringify({ event: 'end', status: final.status, error: final.error }));
            socket.close(1000, 'end of log');
          })
          .catch((error: unknown) => {
            socket.close(1008, error instanceof Error && error.name === 'DomainError' ? error.message.slice(0, 120) : 'error');
          });
      },
    });

    app.post(
      '/workspaces/:wsId/deploy/:deployId/rollback',
      { schema: { tags, summary: "Deploy an earlier successful deployment's artifact again", params: DeployParams, response: { 201: DeploymentView, 409: Type.Ref('ErrorResponse'), ...errorResponses } } },
      async (request, reply) =>
        reply.status(201).send(presentDeployment(await core.rollbackDeployment({ actor: actorOf(request), workspaceId: request.params.wsId, deploymentId: request.params.deployId }))),
    );

    app.post(
      '/workspaces/:wsId/deploy/:deployId/cancel',
      { schema: { tags, summary: 'Cancel a queued or building deployment', params: DeployParams, response: { 200: DeploymentView, 409: Type.Ref('ErrorResponse'), ...errorResponses } } },
      async (request) => presentDeployment(await core.cancelDeployment({ actor: actorOf(request), workspaceId: request.params.wsId, deploymentId: request.params.deployId })),
    );

    app.post(
      '/workspaces/:wsId/apps/:appId/env-vars/sync',
      { schema: { tags: ['Env vars'], summary: 'Roll the app onto a new revision with the current env (ENV_CHANGE)', params: AppParams, response: { 201: DeploymentView, 409: Type.Ref('ErrorResponse'), ...errorResponses } } },
      async (request, reply) => reply.status(201).send(presentDeployment(await core.syncEnvVars(appRef(request)))),
    );

    app.post(
      '/workspaces/:wsId/apps/:appId/uploads/init',
      { schema: { tags: ['Uploads'], summary: 'Start an upload: a presigned PUT URL on Berth', params: AppParams, body: UploadInitBody, response: { 201: UploadInitView, ...errorResponses } } },
      async (request, reply) => {
        const result = await core.initUpload({ ...appRef(request), sizeBytes: request.body.sizeBytes, sha256: request.body.sha256, requestOrigin: requestOrigin(request) });
        return reply.status(201).send({
          uploadId: result.upload.id,
          bucketKey: result.objectKey,
          presignedPutUrl: result.putUrl,
          headers: { ...result.putHeaders },
          expiresAt: result.upload.expiresAt.toISOString(),
          maxSizeBytes: result.maxSizeBytes,
        });
      },
    );

    app.post(
      '/workspaces/:wsId/apps/:appId/uploads/:uploadId/complete',
      { schema: { tags: ['Uploads'], summary: 'Finish an upload: size and sha256 are checked', params: UploadParams, body: UploadCompleteBody, response: { 200: UploadCompleteView, 409: Type.Ref('ErrorResponse'), ...errorResponses } } },
      async (request) =>
        presentUpload(
          await core.completeUpload({ actor: actorOf(request), workspaceId: request.params.wsId, appId: request.params.appId, uploadId: request.params.uploadId, sha256: request.body.sha256 }),
        ),
    );

    app.post(
      '/workspaces/:wsId/apps/:appId/webhook',
      { schema: { tags: ['Deploy'], summary: "Create or rotate the app's push webhook secret (shown once)", params: AppParams, response: { 201: WebhookView, ...errorResponses } } },
      async (request, reply) => {
        const result = await core.createWebhookSecret({ ...appRef(request), requestOrigin: requestOrigin(request) });
        return reply.status(201).send({
          appId: result.appId,
          url: result.url,
          secret: result.secret,
          contentType: 'application/json',
          events: ['push'],
        });
      },
    );
  };

/** Routes that authenticate themselves: the presigned upload PUT and the push webhook. */
export const publicBuildRoutes =
  (core: Core): FastifyPluginAsyncTypebox =>
  async (app) => {
    await app.register(async (uploads) => {
      // The body is a tarball streamed to disk, never parsed.
      uploads.removeAllContentTypeParsers();
      uploads.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
      uploads.put(
        '/uploads/:uploadId',
        {
          schema: {
            tags: ['Uploads'],
            summary: 'The presigned PUT (no API key: the token authorizes this one upload)',
            params: Type.Object({ uploadId: Type.String({ maxLength: 200 }) }),
            querystring: Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }) }),
            response: { 200: Type.Object({ uploadId: Type.String(), sizeBytes: Type.Integer() }), 400: Type.Ref('ErrorResponse'), 403: Type.Ref('ErrorResponse'), 409: Type.Ref('ErrorResponse') },
          },
        },
        async (request) => {
          const body = (request.body ?? request.raw) as AsyncIterable<Uint8Array>;
          const { uploadId } = request.params as { uploadId: string };
          const { token } = request.query as { token: string };
          const result = await core.receiveUpload({ uploadId, token, body });
          return { uploadId, sizeBytes: result.sizeBytes };
        },
      );
    });

    await app.register(async (hooks) => {
      // The signature covers the exact bytes, so the body is kept as text.
      hooks.removeAllContentTypeParsers();
      hooks.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: 5 * 1024 * 1024 }, (_request, body, done) => done(null, body));
      hooks.post(
        '/webhooks/apps/:appId/push',
        {
          schema: {
            tags: ['Deploy'],
            summary: 'GitHub-style push webhook (X-Hub-Signature-256); deploys pushes to the app branch when autoDeploy is on',
            params: Type.Object({ appId: Type.String({ maxLength: 200 }) }),
            response: { 200: PushView, 202: PushView, 400: Type.Ref('ErrorResponse'), 401: Type.Ref('ErrorResponse') },
          },
        },
        async (request, reply) => {
          const header = (name: string) => {
            const value = request.headers[name];
            return typeof value === 'string' ? value : null;
          };
          const result = await core.receivePush({
            appId: (request.params as { appId: string }).appId,
            event: header('x-github-event'),
            signature: header('x-hub-signature-256'),
            rawBody: typeof request.body === 'string' ? request.body : '',
          });
          return result.deployed
            ? reply.status(202).send({ deployed: true, deploymentId: result.deployment.id })
            : reply.status(200).send({ deployed: false, reason: result.reason });
        },
      );
    });
  };
