// Managed databases and their attachments to apps; passwords are sealed before they reach the store.
import type { Kysely, Selectable } from 'kysely';
import type { DatabaseRepository } from '../../core/ports/databases.js';
import type { SecretBox } from '../../core/ports/secret-box.js';
import type { DatabaseAttachment, DatabaseEngine, DatabaseStatus, ManagedDatabase } from '../../domain/database.js';
import { conflict } from '../../domain/errors.js';
import { fromFlag, fromIso, isUniqueViolation, toFlag, toIso } from '../row-values.js';
import type { Database, DatabaseAttachmentRow, DatabaseRow } from '../schema.js';

export function databaseRepository(db: Kysely<Database>, box: SecretBox): DatabaseRepository {
  const toDatabase = (row: Selectable<DatabaseRow>): ManagedDatabase => ({
    id: row.id,
    workspaceId: row.workspace_id,
    projectId: row.project_id,
    name: row.name,
    slug: row.slug,
    engine: row.engine as DatabaseEngine,
    version: row.version,
    status: row.status as DatabaseStatus,
    statusMessage: row.status_message,
    resources: {
      cpuMillicores: row.cpu_millicores,
      memoryMi: row.memory_mi,
      storageGb: row.storage_gb,
      storageClass: row.storage_class,
      highAvailability: fromFlag(row.high_availability),
    },
    connection:
      row.host !== null && row.port !== null && row.username !== null && row.password !== null && row.database_name !== null
        ? { host: row.host, port: row.port, username: row.username, password: box.open(row.password), database: row.database_name }
        : null,
    createdAt: fromIso(row.created_at),
    updatedAt: fromIso(row.updated_at),
  });
  const toAttachment = (row: Selectable<DatabaseAttachmentRow>): DatabaseAttachment => ({
    databaseId: row.database_id,
    appId: row.app_id,
    mountPath: row.mount_path,
    envKey: row.env_key,
    createdAt: fromIso(row.created_at),
  });

  return {
    async create(database) {
      try {
        await db
          .insertInto('databases')
          .values({
            id: database.id,
            workspace_id: database.workspaceId,
            project_id: database.projectId,
            name: database.name,
            slug: database.slug,
            engine: database.engine,
            version: database.version,
            status: database.status,
            status_message: database.statusMessage,
            cpu_millicores: database.resources.cpuMillicores,
            memory_mi: database.resources.memoryMi,
            storage_gb: database.resources.storageGb,
            storage_class: database.resources.storageClass,
            high_availability: toFlag(database.resources.highAvailability),
            created_at: toIso(database.createdAt),
            updated_at: toIso(database.updatedAt),
          })
          .execute();
      } catch (error) {
        if (isUniqueViolation(error)) conflict(`A database with slug "${database.slug}" already exists in this workspace`);
        throw error;
      }
    },
    async find(workspaceId, idOrSlug) {
      const row = await db
        .selectFrom('databases')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where((eb) => eb.or([eb('id', '=', idOrSlug), eb('slug', '=', idOrSlug)]))
        .executeTakeFirst();
      return row ? toDatabase(row) : null;
    },
    async byId(id) {
      const row = await db.selectFrom('databases').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toDatabase(row) : null;
    },
    async list(query) {
      let q = db.selectFrom('databases').selectAll().where('workspace_id', '=', query.workspaceId);
      if (query.engine) q = q.where('engine', '=', query.engine);
      if (query.status) q = q.where('status', '=', query.status);
      const rows = (await q.orderBy('created_at', 'desc').orderBy('id', 'desc').execute()).map(toDatabase);
      const search = query.search?.toLowerCase();
      return search ? rows.filter((d) => d.name.toLowerCase().includes(search) || d.slug.includes(search)) : rows;
    },
    async listAll() {
      return (await db.selectFrom('databases').selectAll().orderBy('id').execute()).map(toDatabase);
    },
    async setStatus(id, status, message, at) {
      await db.updateTable('databases').set({ status, status_message: message, updated_at: toIso(at) }).where('id', '=', id).execute();
    },
    async setConnection(id, connection, at) {
      await db
        .updateTable('databases')
        .set({
          host: connection.host,
          port: connection.port,
          username: connection.username,
          password: box.seal(connection.password),
          database_name: connection.database,
          updated_at: toIso(at),
        })
        .where('id', '=', id)
        .execute();
    },
    async delete(id) {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('database_attachments').where('database_id', '=', id).execute();
        await trx.deleteFrom('databases').where('id', '=', id).execute();
      });
    },
    async attach(attachment) {
      try {
        await db
          .insertInto('database_attachments')
          .values({
            database_id: attachment.databaseId,
            app_id: attachment.appId,
            mount_path: attachment.mountPath,
            env_key: attachment.envKey,
            created_at: toIso(attachment.createdAt),
          })
          .execute();
      } catch (error) {
        if (isUniqueViolation(error)) conflict('The database is already attached to this app');
        throw error;
      }
    },
    async detach(databaseId, appId) {
      const result = await db.deleteFrom('database_attachments').where('database_id', '=', databaseId).where('app_id', '=', appId).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async attachmentsOfDatabase(databaseId) {
      return (await db.selectFrom('database_attachments').selectAll().where('database_id', '=', databaseId).orderBy('created_at').execute()).map(toAttachment);
    },
    async attachmentsOfApp(appId) {
      return (await db.selectFrom('database_attachments').selectAll().where('app_id', '=', appId).orderBy('created_at').execute()).map(toAttachment);
    },
  };
}
