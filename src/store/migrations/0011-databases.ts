// Managed databases, their attachments to apps, and apps' persistent volumes (issue 15).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('databases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('project_id', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('engine', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_message', 'text')
    .addColumn('cpu_millicores', 'integer', (c) => c.notNull())
    .addColumn('memory_mi', 'integer', (c) => c.notNull())
    .addColumn('storage_gb', 'integer', (c) => c.notNull())
    .addColumn('storage_class', 'text')
    .addColumn('high_availability', 'integer', (c) => c.notNull())
    .addColumn('host', 'text')
    .addColumn('port', 'integer')
    .addColumn('username', 'text')
    /** Sealed with Berth's secret key. */
    .addColumn('password', 'text')
    .addColumn('database_name', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('databases_workspace_slug').unique().on('databases').columns(['workspace_id', 'slug']).execute();

  await db.schema
    .createTable('database_attachments')
    .addColumn('database_id', 'text', (c) => c.notNull())
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('mount_path', 'text')
    .addColumn('env_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('database_attachments_pk', ['database_id', 'app_id'])
    .execute();
  await db.schema.createIndex('database_attachments_app').on('database_attachments').column('app_id').execute();

  await db.schema
    .createTable('app_volumes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('mount_path', 'text', (c) => c.notNull())
    .addColumn('size_mi', 'integer', (c) => c.notNull())
    .addColumn('single_writer', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('app_volumes_app_name').unique().on('app_volumes').columns(['app_id', 'name']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('app_volumes').execute();
  await db.schema.dropTable('database_attachments').execute();
  await db.schema.dropTable('databases').execute();
}
