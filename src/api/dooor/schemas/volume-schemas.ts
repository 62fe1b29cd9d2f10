// Wire shapes of an app's persistent volumes (issue 15; beyond the seed pages, in their style).
import { Type } from '@sinclair/typebox';
import { volumeLimits } from '../../../domain/volume.js';
import { Timestamp } from './common.js';

export const VolumeBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 63, description: 'Lowercase letters, digits and hyphens; unique in the app' }),
  mountPath: Type.String({ minLength: 2, maxLength: 500, description: 'Absolute path in every instance, e.g. /data' }),
  sizeMi: Type.Integer({ minimum: volumeLimits.sizeMi.min, maximum: volumeLimits.sizeMi.max, description: 'Size in MiB; a full volume is the app\'s ENOSPC' }),
  singleWriter: Type.Optional(Type.Boolean({ description: 'Only one process may write it: the app is pinned to one replica. Default: false' })),
});

export const VolumeView = Type.Object({
  id: Type.String(),
  appId: Type.String(),
  name: Type.String(),
  mountPath: Type.String(),
  sizeMi: Type.Integer(),
  singleWriter: Type.Boolean(),
  createdAt: Timestamp,
});
