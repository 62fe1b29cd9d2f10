// Managed databases (client-contract.md): the 10 endpoints of the client's database tools, and
// Berth's extensions: backups, the audit trail, restart, and the list of a database's attachments
// the console's database page shows.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Core } from '../../core/create-core.js';
import { actorOf, appRef } from '../auth.js';
import { databaseStatusWords, fromWord } from '../dialect-words.js';
import { AppParams, errorResponses, WorkspaceParams } from './schemas/common.js';
import {
  AttachBody,
  BackupParams,
  BackupView,
  AttachmentParams,
  AttachmentView,
  ConnectionView,
  CreateDatabaseBody,
  DatabaseAuditEntryView,
  DatabaseAuditQuery,
  DatabaseListQuery,
  DatabaseParams,
  DatabaseStatusView,
  DatabaseView,
  QueryBody,
  QueryView,
} from './schemas/database-schemas.js';
import { presentAttachment, presentBackup, presentConnection, presentDatabase, presentDatabaseAuditEntry, presentDatabaseStatus, presentQuery } from './presenters/present-database.js';

const tags = ['Databases'];
const dbRef = (request: Parameters<typeof actorOf>[0] & { params: { wsId: string; dbId: string } }) => ({
  actor: actorOf(request),
  workspaceId: request.params.wsId,
  databaseId: request.params.dbId,
});

export const databaseRoutes =
  (core: Core): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/workspaces/:wsId/databases',
      { schema: { tags, summary: 'List databases', params: WorkspaceParams, querystring: DatabaseListQuery, response: { 200: Type.Array(DatabaseView), ...errorResponses } } },
      async (request) => {
        const q = request.query;
        const list = await core.listDatabases({
          actor: actorOf(request),
          workspaceId: request.params.wsId,
          engine: q.engine,
          status: fromWord(databaseStatusWords.dooor, q.status),
          search: q.search,
        });
        return list.map(presentDatabase);
      },
    );

    app.post(
      '/workspaces/:wsId/databases',
      { schema: { tags, summary: 'Create a database (provisioning continues after the answer)', params: WorkspaceParams, body: CreateDatabaseBody, response: { 201: DatabaseView, ...errorResponses, 409: errorResponses[404] } } },
      async (request, reply) => {
        const b = request.body;
        const created = await core.createDatabase({
          actor: actorOf(request),
          workspaceId: request.params.wsId,
          name: b.name,
          slug: b.slug,
          engine: b.engine,
          version: b.version,
          cpu: b.cpu,
          memory: b.memory,
          storageGb: b.storageGb,
          storageClass: b.storageClass,
          highAvailability: b.highAvailability,
          projectId: b.projectId,
        });
        return reply.status(201).send(presentDatabase(created));
      },
    );

    app.get(
      '/workspaces/:wsId/databases/:dbId',
      { schema: { tags, summary: 'Get a database', params: DatabaseParams, response: { 200: DatabaseView, ...errorResponses } } },
      async (request) => presentDatabase(await core.getDatabase(dbRef(request))),
    );

    app.get(
      '/workspaces/:wsId/databases/:dbId/status',
      { schema: { tags, summary: 'Ready and desired instances, and the phase', params: DatabaseParams, response: { 200: DatabaseStatusView, ...errorResponses } } },
      async (request) => presentDatabaseStatus(await core.databaseStatus(dbRef(request))),
    );

    app.get(
      '/workspaces/:wsId/databases/:dbId/connection',
      { schema: { tags, summary: 'Connection details, password included', params: DatabaseParams, response: { 200: ConnectionView, ...errorResponses, 409: errorResponses[404] } } },
      async (request) => presentConnection(await core.databaseConnection(dbRef(request))),
    );

    app.post(
      '/workspaces/:wsId/databases/:dbId/attachments',
      { schema: { tags, summary: 'Attach the database to an app (injected at its next deploy)', params: DatabaseParams, body: AttachBody, response: { 201: AttachmentView, ...errorResponses, 409: errorResponses[404] } } },
      async (request, reply) => {
        const attached = await core.attachDatabase({ ...dbRef(request), appId: request.body.appId, mountPath: request.body.mountPath });
        return reply.status(201).send(presentAttachment(attached));
      },
    );

    app.get(
      '/workspaces/:wsId/databases/:dbId/attachments',
      { schema: { tags, summary: 'The apps the database is attached to', params: DatabaseParams, response: { 200: Type.Array(AttachmentView), ...errorResponses } } },
      async (request) => (await core.listDatabaseAttachments(dbRef(request))).map(presentAttachment),
    );

    app.delete(
      '/workspaces/:wsId/databases/:dbId/attachments/:appId',
      { schema: { tags, summary: 'Detach the database from an app (its data stays)', params: AttachmentParams, response: { 204: Type.Null(), ...errorResponses } } },
      async (request, reply) => {
        await core.detachDatabase({ ...dbRef(request), appId: request.params.appId });
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/workspaces/:wsId/apps/:appId/databases',
      { schema: { tags, summary: "The app's attached databases", params: AppParams, response: { 200: Type.Array(AttachmentView), ...errorResponses } } },
      async (request) => (await core.listAppDatabases(appRef(request))).map(presentAttachment),
    );

    app.post(
      '/workspaces/:wsId/databases/:dbId/query',
      { schema: { tags, summary: 'Run read-only SQL (POSTGRES; 503: its server is restarting or does not start)', params: DatabaseParams, body: QueryBody, response: { 200: QueryView, ...errorResponses, 409: errorResponses[404], 503: errorResponses[404] } } },
      async (request) => presentQuery(await core.queryDatabase({ ...dbRef(request), sql: request.body.sql, maxRows: request.body.maxRows })),
    );

    app.get(
      '/workspaces/:wsId/databases/:dbId/backups',
      { schema: { tags, summary: "The database's backups, newest first", params: DatabaseParams, response: { 200: Type.Array(BackupView), ...errorResponses } } },
      async (request) => {
        const database = await core.getDatabase(dbRef(request));
        return (await core.listBackups(dbRef(request))).map((b) => presentBackup(database.id, b));
      },
    );

    app.post(
      '/workspaces/:wsId/databases/:dbId/backups',
      { schema: { tags, summary: 'Take a backup now (the oldest beyond BERTH_DB_BACKUP_KEEP go)', params: DatabaseParams, response: { 201: BackupView, ...errorResponses, 409: errorResponses[404] } } },
      async (request, reply) => {
        const database = await core.getDatabase(dbRef(request));
        return reply.status(201).send(presentBackup(database.id, await core.takeBackup(dbRef(request))));
      },
    );

    app.post(
      '/workspaces/:wsId/databases/:dbId/backups/:backupId/restore',
      { schema: { tags, summary: 'Put the database back as the backup holds it (409: it failed, nothing changed; 503: it failed and the server did not start again)', params: BackupParams, response: { 200: BackupView, ...errorResponses, 409: errorResponses[404], 503: errorResponses[404] } } },
      async (request) => {
        const database = await core.getDatabase(dbRef(request));
        return presentBackup(database.id, await core.restoreBackup({ ...dbRef(request), backupId: request.params.backupId }));
      },
    );

    app.post(
      '/workspaces/:wsId/databases/:dbId/restart',
      {
        schema: {
          tags,
          summary: "Start the database's server again with its data (a FAILED one too): PROVISIONING until it serves, then RUNNING or FAILED saying why",
          params: DatabaseParams,
          response: { 202: DatabaseView, ...errorResponses, 409: errorResponses[404] },
        },
      },
      async (request, reply) => reply.status(202).send(presentDatabase(await core.restartDatabase(dbRef(request)))),
    );

    app.get(
      '/workspaces/:wsId/databases/:dbId/audit',
      {
        schema: {
          tags,
          summary: "The database's audit trail, newest first: queries, backups and restores (failed attempts too), attachments, and Berth giving up on its server",
          params: DatabaseParams,
          querystring: DatabaseAuditQuery,
          response: { 200: Type.Array(DatabaseAuditEntryView), ...errorResponses },
        },
      },
      async (request) => (await core.listDatabaseAudit({ ...dbRef(request), limit: request.query.limit, before: request.query.before })).map(presentDatabaseAuditEntry),
    );

    app.delete(
      '/workspaces/:wsId/databases/:dbId',
      { schema: { tags, summary: 'Delete the database and all its data, permanently', params: DatabaseParams, response: { 204: Type.Null(), ...errorResponses } } },
      async (request, reply) => {
        await core.deleteDatabase(dbRef(request));
        return reply.status(204).send(null);
      },
    );
  };
