// The REST dialect (spec 003, issue 14): an app's default version, its Node.js version and who
// created it; app versions (editable file trees) and their files. File contents are kept as
// base64 text, the one portable type both backends index and compare alike; sizes are bounded.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('apps').addColumn('default_version_id', 'text').execute();
  await db.schema.alterTable('apps').addColumn('node_version', 'text').execute();
  await db.schema.alterTable('apps').addColumn('created_by', 'text').execute();
  // One env table for every dialect: where a value is given (000 and 002 give theirs to both).
  await db.schema.alterTable('env_vars').addColumn('scope', 'text', (c) => c.notNull().defaultTo('both')).execute();

  await db.schema
    .createTable('app_versions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('copied_from', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('app_versions_app').on('app_versions').columns(['app_id', 'id']).execute();

  await db.schema
    .createTable('app_version_files')
    .addColumn('version_id', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('content_base64', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('app_version_files_pk', ['version_id', 'path'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('app_version_files').execute();
  await db.schema.dropTable('app_versions').execute();
  await db.schema.alterTable('env_vars').dropColumn('scope').execute();
  await db.schema.alterTable('apps').dropColumn('created_by').execute();
  await db.schema.alterTable('apps').dropColumn('node_version').execute();
  await db.schema.alterTable('apps').dropColumn('default_version_id').execute();
}
