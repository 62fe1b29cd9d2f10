// Wire shapes of app source and runtime env vars (client-contract.md).
import { Type } from '@sinclair/typebox';
import { sourceTypeWords, wordsOf } from '../../dialect-words.js';
import { gitProviders } from '../../../domain/git-url.js';
import { Nullable, Timestamp } from './common.js';

export const SourceBody = Type.Object({
  type: Type.Union(wordsOf(sourceTypeWords.dooor).map((t) => Type.Literal(t))),
  gitRepoUrl: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  gitBranch: Type.Optional(Nullable(Type.String({ maxLength: 255 }))),
  gitProvider: Type.Optional(Type.Union([...gitProviders.map((p) => Type.Literal(p)), Type.Null()], { description: 'GITHUB | GITLAB | BITBUCKET | null; omitted: kept, or derived from the repository host' })),
  gitInstallationId: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  imageRef: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  imageRegistryAuthRef: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
});

export const SourceView = Type.Object({
  type: Type.String(),
  gitRepoUrl: Nullable(Type.String()),
  gitBranch: Type.String(),
  gitProvider: Nullable(Type.Union(gitProviders.map((p) => Type.Literal(p)))),
  gitInstallationId: Nullable(Type.String()),
  imageRef: Nullable(Type.String()),
  imageRegistryAuthRef: Nullable(Type.String()),
  dockerfilePath: Nullable(Type.String()),
});

const envVarInput = {
  key: Type.String({ minLength: 1, maxLength: 255 }),
  value: Type.String({ maxLength: 32 * 1024 }),
  isSecret: Type.Optional(Type.Boolean()),
};

export const EnvVarBody = Type.Object(envVarInput);
export const BulkEnvVarBody = Type.Object({ vars: Type.Array(Type.Object(envVarInput), { minItems: 1, maxItems: 500 }) });

export const EnvVarView = Type.Object({
  id: Type.String(),
  key: Type.String(),
  value: Type.String({ description: 'Masked for secrets' }),
  isSecret: Type.Boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const EnvVarParams = Type.Object({
  wsId: Type.String({ maxLength: 200 }),
  appId: Type.String({ maxLength: 200 }),
  envVarId: Type.String({ maxLength: 300 }),
});
