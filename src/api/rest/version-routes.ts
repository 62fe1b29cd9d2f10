// App versions and their files (spec 003), plus Berth's additions: list an app's versions and
// create one (empty, or copied from another).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Core } from '../../core/create-core.js';
import type { AppVersion } from '../../domain/app-version.js';
import type { Principal } from '../../domain/workspace.js';
import { actorOf } from '../auth.js';
import { contentTypeOf, decodeContent, presentContent } from './file-content.js';
import { CreateVersionBody, FileBody, FileContent, FileList, FileQuery, FilesQuery, IdParams, Success, VersionView, errors, tags } from './schemas.js';

const addition = 'Berth’s addition to spec 003. ';

const presentVersion = (v: AppVersion) => ({
  id: v.id,
  appId: v.appId,
  workspaceId: v.workspaceId,
  copiedFrom: v.copiedFrom,
  createdBy: v.createdBy,
  createdAt: v.createdAt.toISOString(),
  updatedAt: v.updatedAt.toISOString(),
});

export const versionRoutes =
  (core: Core): FastifyPluginAsyncTypebox =>
  async (app) => {
    const versionOf = (request: { principal: Principal | null; params: { id: string } }) => {
      const actor = actorOf(request);
      return { actor, workspaceId: actor.workspaceId, versionId: request.params.id };
    };
    const appOf = (request: { principal: Principal | null; params: { id: string } }) => {
      const actor = actorOf(request);
      return { actor, workspaceId: actor.workspaceId, appId: request.params.id };
    };
    // Room for the largest file as base64 in JSON, so the core's own check (which names the limit) answers first.
    const bodyLimit = Math.max(1024 * 1024, Math.ceil((core.settings.builds.versionFiles.maxFileBytes * 4) / 3) + 64 * 1024);

    app.get('/app-versions/:id/files', { schema: { tags, summary: 'List files in an app version', params: IdParams, querystring: FilesQuery, response: { 200: FileList, ...errors } } }, async (request) => ({
      data: await core.listVersionFiles({ ...versionOf(request), ...(request.query.path !== undefined ? { dir: request.query.path } : {}) }),
    }));

    app.get('/app-versions/:id/files/read', { schema: { tags, summary: 'Read a file of an app version', params: IdParams, querystring: FileQuery, response: { 200: FileContent, ...errors } } }, async (request) => {
      const file = await core.readVersionFile({ ...versionOf(request), path: request.query.path });
      return { ...presentContent(file.content), contentType: contentTypeOf(file.path), size: file.content.length, executable: file.executable };
    });

    const write = (mode: 'create' | 'update') => async (request: { principal: Principal | null; params: { id: string }; body: (typeof FileBody)['static'] }) => {
      const b = request.body;
      await core.writeVersionFile({ ...versionOf(request), path: b.path, content: decodeContent(b.content, b.encoding), mode, ...(b.executable !== undefined ? { executable: b.executable } : {}) });
      return { success: true };
    };
    app.post('/app-versions/:id/files', { bodyLimit, schema: { tags, summary: 'Create a file in an app version (409 when it exists)', params: IdParams, body: FileBody, response: { 201: Success, ...errors } } }, async (request, reply) =>
      reply.status(201).send(await write('create')(request)),
    );
    app.patch('/app-versions/:id/files', { bodyLimit, schema: { tags, summary: 'Update a file of an app version (404 when it does not exist)', params: IdParams, body: FileBody, response: { 200: Success, ...errors } } }, write('update'));

    app.delete('/app-versions/:id/files', { schema: { tags, summary: 'Delete a file from an app version', params: IdParams, querystring: FileQuery, response: { 200: Success, ...errors } } }, async (request) => {
      await core.deleteVersionFile({ ...versionOf(request), path: request.query.path });
      return { success: true };
    });

    app.get('/apps/:id/versions', { schema: { tags, summary: 'List an app’s versions', description: addition, params: IdParams, response: { 200: Type.Object({ data: Type.Array(VersionView) }), ...errors } } }, async (request) => ({
      data: (await core.listVersions(appOf(request))).map(presentVersion),
    }));

    app.post('/apps/:id/versions', { schema: { tags, summary: 'Create an app version, empty or a copy of another', description: addition, params: IdParams, body: CreateVersionBody, response: { 201: VersionView, ...errors } } }, async (request, reply) => {
      const created = await core.createVersion({ ...appOf(request), ...(request.body.fromVersionId !== undefined ? { fromVersionId: request.body.fromVersionId } : {}) });
      return reply.status(201).send(presentVersion(created));
    });
  };
