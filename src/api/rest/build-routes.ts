// Builds and deploys in the REST dialect (spec 003): `POST /apps/{id}/deploy` (the newest
// successful build of the default version) and `POST /apps/{id}/builds/{buildId}/deploy` are the
// spec's; building a version, listing and reading builds and deploys are Berth's additions.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Core } from '../../core/create-core.js';
import type { Principal } from '../../domain/workspace.js';
import { Type } from '@sinclair/typebox';
import type { BuildLogLine } from '../../domain/build.js';
import { actorOf } from '../auth.js';
import { followAsSse } from '../sse-follow.js';
import { BuildList, BuildLog, BuildParams, BuildView, CreateBuildBody, DeployList, DeployParams, DeployView, ListBuildsQuery } from './build-schemas.js';
import { presentBuild, presentBuildStatus, presentDeploy } from './present-builds.js';
import { IdParams, errors, tags } from './schemas.js';

const addition = 'Berth’s addition to spec 003. ';

const presentLine = (line: BuildLogLine) => ({ seq: line.seq, at: line.at.toISOString(), line: line.line });

export const buildRoutes =
  (core: Core): FastifyPluginAsyncTypebox =>
  async (app) => {
    const appOf = (request: { principal: Principal | null; params: { id: string } }) => {
      const actor = actorOf(request);
      return { actor, workspaceId: actor.workspaceId, appId: request.params.id };
    };
    const urls = core.settings;

    app.post('/apps/:id/builds', { schema: { tags, summary: 'Build an app version (default: the default version); nothing is deployed', description: `${addition}The version’s files are snapshotted now: later edits do not change this build.`, params: IdParams, body: CreateBuildBody, response: { 201: BuildView, ...errors } } }, async (request, reply) => {
      const body = request.body ?? {};
      const build = await core.startBuild({ ...appOf(request), ...(body.appVersionId !== undefined ? { versionId: body.appVersionId } : {}) });
      return reply.status(201).send(presentBuild(build));
    });

    app.post('/app-versions/:id/builds', { schema: { tags, summary: 'Build this app version; nothing is deployed', description: `${addition}The version’s files are snapshotted now.`, params: IdParams, response: { 201: BuildView, ...errors } } }, async (request, reply) => {
      const actor = actorOf(request);
      const build = await core.buildVersion({ actor, workspaceId: actor.workspaceId, versionId: request.params.id });
      return reply.status(201).send(presentBuild(build));
    });

    app.get('/apps/:id/builds', { schema: { tags, summary: 'List an app’s builds, newest first', description: addition, params: IdParams, querystring: ListBuildsQuery, response: { 200: BuildList, ...errors } } }, async (request) => {
      const q = request.query;
      const builds = await core.listAppBuilds({ ...appOf(request), ...(q.appVersionId !== undefined ? { versionId: q.appVersionId } : {}), ...(q.limit !== undefined ? { limit: q.limit } : {}) });
      return { data: builds.map(presentBuild) };
    });

    app.get('/apps/:id/builds/:buildId', { schema: { tags, summary: 'Get a build and its status', description: addition, params: BuildParams, response: { 200: BuildView, ...errors } } }, async (request) =>
      presentBuild(await core.getAppBuild({ ...appOf(request), buildId: request.params.buildId })),
    );

    app.get('/apps/:id/builds/:buildId/log', { schema: { tags, summary: 'Read a build’s log', description: `${addition}Every line so far, also while the build runs; \`…/log/stream\` follows it live until the build ends.`, params: BuildParams, response: { 200: BuildLog, ...errors } } }, async (request) => {
      const { build, lines } = await core.getAppBuildLog({ ...appOf(request), buildId: request.params.buildId });
      return { buildId: build.id, status: presentBuildStatus(build.status), data: lines };
    });

    app.route({
      method: 'GET',
      url: '/apps/:id/builds/:buildId/log/stream',
      // Browsers' EventSource cannot send headers: the key may come as ?token=.
      config: { queryToken: true },
      schema: {
        tags,
        summary: 'Follow a build’s log live (Server-Sent Events) until the build ends',
        description: `${addition}Every line so far, then each new one, as \`data: {"seq","at","line"}\` events (\`id\` = seq); a comment line every heartbeat; when the build ends, \`event: end\` with \`{"status","error"}\`, and the stream closes. The key may be given as ?token= (EventSource).`,
        params: BuildParams,
        querystring: Type.Object({ token: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'API key, for browsers that cannot send headers' })) }),
        produces: ['text/event-stream'],
        response: { 200: Type.String({ description: 'text/event-stream' }), ...errors },
      },
      handler: async (request, reply) => {
        const params = request.params as { id: string; buildId: string };
        await followAsSse(request, reply, {
          heartbeatMs: core.settings.monitoring.sseHeartbeatMs,
          follow: (hooks) => core.followAppBuildLog({ ...appOf({ principal: request.principal, params }), buildId: params.buildId, ...hooks }),
          presentLine,
          presentEnd: (final) => ({ status: presentBuildStatus(final.status), error: final.error }),
        });
      },
    });

    app.post('/apps/:id/builds/:buildId/cancel', { schema: { tags, summary: 'Cancel a queued or running build (409 once it has ended)', description: `${addition}A running build’s processes are killed and its scratch space removed before the answer; the build then says \`cancelled\` with \`error\` "Cancelled on request".`, params: BuildParams, response: { 200: BuildView, ...errors } } }, async (request) =>
      presentBuild(await core.cancelAppBuild({ ...appOf(request), buildId: request.params.buildId })),
    );

    app.post('/apps/:id/builds/:buildId/deploy', { schema: { tags, summary: 'Deploy a build (409 unless it completed and its artifact is still kept: BERTH_KEEP_REVISIONS)', params: BuildParams, response: { 201: DeployView, ...errors } } }, async (request, reply) =>
      reply.status(201).send(presentDeploy(await core.deployAppBuild({ ...appOf(request), buildId: request.params.buildId }), urls)),
    );

    app.post('/apps/:id/deploy', { schema: { tags, summary: 'Deploy the latest successful build of the default version (409 when there is none)', description: 'Builds nothing: build first (POST /api/apps/{id}/builds).', params: IdParams, response: { 201: DeployView, ...errors } } }, async (request, reply) =>
      reply.status(201).send(presentDeploy(await core.deployLatestBuild(appOf(request)), urls)),
    );

    app.get('/apps/:id/deploys', { schema: { tags, summary: 'List an app’s deploys, newest first', description: `${addition}Deploys made through any API, numbered per app.`, params: IdParams, response: { 200: DeployList, ...errors } } }, async (request) => ({
      data: (await core.listNumberedDeployments(appOf(request))).map((d) => presentDeploy(d, urls)),
    }));

    app.get('/apps/:id/deploys/:deployId', { schema: { tags, summary: 'Get a deploy and its status', description: addition, params: DeployParams, response: { 200: DeployView, ...errors } } }, async (request) =>
      presentDeploy(await core.getNumberedDeployment({ ...appOf(request), deploymentId: request.params.deployId }), urls),
    );
  };
