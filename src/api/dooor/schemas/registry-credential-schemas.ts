// Wire shapes of registry credentials (issue 11): the password goes in, never out.
import { Type } from '@sinclair/typebox';
import { Timestamp } from './common.js';

export const CreateRegistryCredentialBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200, description: 'What IMAGE deploys name it by (registryAuthRef, imageRegistryAuthRef)' }),
  registry: Type.String({ minLength: 1, maxLength: 260, description: 'host[:port] of the registry, e.g. registry.example.com' }),
  username: Type.String({ minLength: 1, maxLength: 200 }),
  password: Type.String({ minLength: 1, maxLength: 4096, description: 'Or a token; sealed at rest, never returned' }),
});

export const RegistryCredentialView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  registry: Type.String(),
  username: Type.String(),
  createdAt: Timestamp,
});

export const RegistryCredentialParams = Type.Object({ wsId: Type.String({ maxLength: 200 }), credentialId: Type.String({ maxLength: 200 }) });
