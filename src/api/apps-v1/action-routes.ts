// What an app can be told to do (spec 002): deploy again, restart without a new revision, build a
// tarball sent as multipart/form-data, and revert to an earlier deployment.
import type {} from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Core } from '../../core/create-core.js';
import { DomainError } from '../../domain/errors.js';
import { appOf } from './app-ref.js';
import { tags } from './app-routes.js';
import { presentNewDeployment } from './presenters.js';
import { AppParams, BuildView, DeploymentParams, DeploymentView, RestartView, errorRef, errors } from './schemas.js';

export const actionRoutes =
  (core: Core): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/apps/:id/deploy',
      {
        schema: {
          tags,
          summary: 'Deploy again: image apps pull their image, git apps build the branch’s latest commit, upload apps rebuild their last upload',
          params: AppParams,
          response: { 202: DeploymentView, ...errors },
        },
      },
      async (request, reply) => reply.status(202).send(presentNewDeployment(await core.redeployApp(appOf(request)))),
    );

    app.post(
      '/apps/:id/restart',
      {
        schema: {
          tags,
          summary: 'Restart every instance, one at a time and without a failed request; no new revision. Answers once all were replaced',
          params: AppParams,
          response: { 200: RestartView, 409: errorRef, 503: errorRef, ...errors },
        },
      },
      async (request) => {
        const { app: restarted, restart } = await core.restartApp(appOf(request));
        return { app_id: restarted.id, restarted: restart.replaced.map((r) => ({ pod: r.instanceId, replaced_by: r.by })) };
      },
    );

    app.post(
      '/apps/:id/build',
      {
        schema: {
          tags,
          summary: 'Build and deploy a tarball (.tar.gz) sent as multipart/form-data, in one file part',
          description: 'Streamed to disk within BERTH_MAX_UPLOAD_MB; a file that is not a .tar.gz is refused with 400. Its entries are checked as every upload’s are.',
          consumes: ['multipart/form-data'],
          params: AppParams,
          response: { 202: BuildView, 413: errorRef, ...errors },
        },
      },
      async (request, reply) => {
        if (!request.isMultipart()) throw new DomainError('invalid', 'Send the tarball as multipart/form-data, in one file part');
        const file = await request.file();
        if (!file) throw new DomainError('invalid', 'The request has no file part: send the tarball as one');
        const { upload, deployment } = await core.buildUpload({ ...appOf(request), body: file.file });
        return reply.status(202).send({
          deployment: presentNewDeployment(deployment),
          upload: { id: upload.id, size_bytes: upload.sizeBytes ?? 0, sha256: upload.sha256 ?? '' },
        });
      },
    );

    app.post(
      '/apps/:id/deployments/:deploymentId/revert',
      {
        schema: {
          tags,
          summary: 'Revert to an earlier deployment: its artifact goes live again as a new deployment',
          params: DeploymentParams,
          response: { 202: DeploymentView, 409: errorRef, ...errors },
        },
      },
      async (request, reply) =>
        reply.status(202).send(presentNewDeployment(await core.revertDeployment({ ...appOf(request), deploymentId: request.params.deploymentId }))),
    );
  };
