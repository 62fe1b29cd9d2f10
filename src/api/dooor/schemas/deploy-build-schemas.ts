// Wire shapes of deploy triggers, deployment lists, build logs, uploads and webhooks (spec 001,
// client-contract.md).
import { Type } from '@sinclair/typebox';
import { deploymentStatusWords, sourceTypeWords, triggerWords, wordsOf } from '../../dialect-words.js';
import { PageMeta } from './common.js';
import { DeploymentView } from './deploy-schemas.js';

const sha256 = Type.String({ pattern: '^[A-Fa-f0-9]{64}$', description: 'hex sha256 of the tarball' });

export const TriggerBody = Type.Object({
  appId: Type.String({ minLength: 1, maxLength: 200, description: 'App id or slug' }),
  gitBranch: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  gitCommitSha: Type.Optional(Type.String({ minLength: 4, maxLength: 64, description: 'Wins over gitBranch' })),
  source: Type.Optional(
    Type.Object({
      type: Type.Union(wordsOf(sourceTypeWords.dooor).map((t) => Type.Literal(t))),
      uploadId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
      imageRef: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
      registryAuthRef: Type.Optional(Type.String({ maxLength: 500 })),
    }),
  ),
  triggerType: Type.Optional(Type.Union(wordsOf(triggerWords.dooor).map((t) => Type.Literal(t)))),
});

export const DeployListQuery = Type.Object({
  appId: Type.String({ minLength: 1, maxLength: 200 }),
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  status: Type.Optional(Type.Union(wordsOf(deploymentStatusWords.dooor).map((s) => Type.Literal(s)))),
});

export const DeployListView = Type.Object({ data: Type.Array(DeploymentView), meta: PageMeta });

export const BuildLogsView = Type.Object({ logs: Type.Array(Type.String()) });

export const UploadInitBody = Type.Object({
  sizeBytes: Type.Integer({ minimum: 1 }),
  sha256: Type.Optional(sha256),
});

export const UploadInitView = Type.Object({
  uploadId: Type.String(),
  bucketKey: Type.String(),
  presignedPutUrl: Type.String(),
  headers: Type.Record(Type.String(), Type.String()),
  expiresAt: Type.String({ format: 'date-time' }),
  maxSizeBytes: Type.Integer(),
});

export const UploadParams = Type.Object({ wsId: Type.String({ maxLength: 200 }), appId: Type.String({ maxLength: 200 }), uploadId: Type.String({ maxLength: 200 }) });
export const UploadCompleteBody = Type.Object({ sha256: Type.Optional(sha256) });
export const UploadCompleteView = Type.Object({ uploadId: Type.String(), status: Type.String(), sizeBytes: Type.Integer() });

export const WebhookView = Type.Object({
  appId: Type.String(),
  url: Type.String(),
  secret: Type.String({ description: 'Shown once: Berth keeps it sealed and never shows it again' }),
  contentType: Type.String(),
  events: Type.Array(Type.String()),
});

export const PushView = Type.Object({ deployed: Type.Boolean(), deploymentId: Type.Optional(Type.String()), reason: Type.Optional(Type.String()) });
