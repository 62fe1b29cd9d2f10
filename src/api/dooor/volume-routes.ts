// An app's persistent volumes: list and create (they go only when the app is purged).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Core } from '../../core/create-core.js';
import type { AppVolume } from '../../domain/volume.js';
import { appRef } from '../auth.js';
import { AppParams, errorResponses } from './schemas/common.js';
import { VolumeBody, VolumeView } from './schemas/volume-schemas.js';

const tags = ['Volumes'];

function presentVolume(volume: AppVolume) {
  return { id: volume.id, appId: volume.appId, name: volume.name, mountPath: volume.mountPath, sizeMi: volume.sizeMi, singleWriter: volume.singleWriter, createdAt: volume.createdAt.toISOString() };
}

export const volumeRoutes =
  (core: Core): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/workspaces/:wsId/apps/:appId/volumes',
      { schema: { tags, summary: "The app's persistent volumes", params: AppParams, response: { 200: Type.Array(VolumeView), ...errorResponses } } },
      async (request) => (await core.listVolumes(appRef(request))).map(presentVolume),
    );

    app.post(
      '/workspaces/:wsId/apps/:appId/volumes',
      { schema: { tags, summary: 'Add a persistent volume (mounted from the next instance started)', params: AppParams, body: VolumeBody, response: { 201: VolumeView, ...errorResponses, 409: errorResponses[404] } } },
      async (request, reply) => {
        const b = request.body;
        const volume = await core.createVolume({ ...appRef(request), volume: { name: b.name, mountPath: b.mountPath, sizeMi: b.sizeMi, singleWriter: b.singleWriter } });
        return reply.status(201).send(presentVolume(volume));
      },
    );
  };
