// Wire shapes of API keys (client-contract.md).
import { Type } from '@sinclair/typebox';
import { scopes } from '../../../domain/scopes.js';
import { Nullable, Timestamp } from './common.js';

export const CreateKeyBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  scopes: Type.Array(Type.Union(scopes.map((s) => Type.Literal(s))), { minItems: 1, maxItems: scopes.length * 2 }),
  expiresAt: Type.Optional(Nullable(Type.String({ format: 'date-time' }))),
});

export const ApiKeyView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  keyPrefix: Type.String(),
  scopes: Type.Array(Type.String()),
  expiresAt: Nullable(Timestamp),
  lastUsedAt: Nullable(Timestamp),
  createdAt: Timestamp,
});

export const CreatedKey = Type.Object({ ...ApiKeyView.properties, key: Type.String({ description: 'Shown once' }) });

export const WhoAmIView = Type.Object({
  keyId: Type.String(),
  workspaceId: Type.String(),
  workspace: Type.Object({ id: Type.String(), name: Type.String() }),
  scopes: Type.Array(Type.String()),
});

export const KeyParams = Type.Object({ wsId: Type.String({ maxLength: 200 }), keyId: Type.String({ maxLength: 200 }) });
