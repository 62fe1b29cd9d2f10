// Names for the API's answer shapes, taken from the generated `paths` (never written by hand).
import type { paths } from './openapi';

type JsonOf<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;
/** The JSON body of a path's 200 or 201 answer. */
export type Ok<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { responses: infer R }
  ? R extends { 200: infer A }
    ? JsonOf<A>
    : R extends { 201: infer B }
      ? JsonOf<B>
      : never
  : never;

export type App = Ok<'/api/v1/workspaces/{wsId}/apps/{appId}', 'get'>;
export type AppListItem = Ok<'/api/v1/workspaces/{wsId}/apps', 'get'>['data'][number];
export type Deployment = Ok<'/api/v1/workspaces/{wsId}/deploy/{deployId}', 'get'>;
export type Revision = Ok<'/api/v1/workspaces/{wsId}/deploy/apps/{appId}/revisions', 'get'>[number];
export type EnvVar = Ok<'/api/v1/workspaces/{wsId}/apps/{appId}/env-vars', 'get'>[number];
export type LogEntry = Ok<'/api/v1/workspaces/{wsId}/monitoring/apps/{appId}/logs', 'get'>['logs'][number];
export type Severity = LogEntry['severity'];
export type Metrics = Ok<'/api/v1/workspaces/{wsId}/monitoring/apps/{appId}/metrics', 'get'>;
export type Alert = Ok<'/api/v1/workspaces/{wsId}/monitoring/alerts', 'get'>[number];
export type MetricsPeriod = NonNullable<NonNullable<paths['/api/v1/workspaces/{wsId}/monitoring/apps/{appId}/metrics']['get']['parameters']['query']>['period']>;
export type Database = Ok<'/api/v1/workspaces/{wsId}/databases/{dbId}', 'get'>;
export type DatabaseRuntime = Ok<'/api/v1/workspaces/{wsId}/databases/{dbId}/status', 'get'>;
export type DatabaseConnection = Ok<'/api/v1/workspaces/{wsId}/databases/{dbId}/connection', 'get'>;
export type DatabaseAttachment = Ok<'/api/v1/workspaces/{wsId}/apps/{appId}/databases', 'get'>[number];
export type DatabaseBackup = Ok<'/api/v1/workspaces/{wsId}/databases/{dbId}/backups', 'get'>[number];
export type QueryResult = Ok<'/api/v1/workspaces/{wsId}/databases/{dbId}/query', 'post'>;
export type DatabaseEngine = Database['engine'];
export type DatabaseStatusWord = Database['status'];
