// Schema pieces shared by the Dooor routes; they validate requests and feed the OpenAPI document.
import { Type } from '@sinclair/typebox';
import type { TSchema } from '@sinclair/typebox';

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const WorkspaceParams = Type.Object({ wsId: Type.String({ maxLength: 200 }) });
export const AppParams = Type.Object({
  wsId: Type.String({ maxLength: 200 }),
  appId: Type.String({ maxLength: 200, description: 'App id or slug' }),
});

export const Timestamp = Type.String({ format: 'date-time' });

export const ErrorResponse = Type.Object(
  {
    statusCode: Type.Integer(),
    message: Type.Union([Type.String(), Type.Array(Type.String())]),
    error: Type.String(),
  },
  { $id: 'ErrorResponse', description: 'NestJS-style error' },
);

export const PageMeta = Type.Object({
  total: Type.Integer(),
  page: Type.Integer(),
  limit: Type.Integer(),
  totalPages: Type.Integer(),
});

/** Error responses every authenticated route can give. */
export const errorResponses = {
  400: Type.Ref(ErrorResponse),
  401: Type.Ref(ErrorResponse),
  403: Type.Ref(ErrorResponse),
  404: Type.Ref(ErrorResponse),
};
