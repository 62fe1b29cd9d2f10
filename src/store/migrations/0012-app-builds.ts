// Builds of app versions (spec 003, issue 14): a build turns a snapshot of a version's files into
// an artifact without rolling it out; its log lines are its own. Deployments say which build
// they deploy and which key asked for them.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('app_builds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('version_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('source_digest', 'text')
    .addColumn('file_count', 'integer', (c) => c.notNull())
    .addColumn('image_ref', 'text')
    .addColumn('command', 'text')
    .addColumn('buildpack', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text')
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema.createIndex('app_builds_app').on('app_builds').columns(['app_id', 'id']).execute();
  await db.schema.createIndex('app_builds_status').on('app_builds').columns(['status', 'id']).execute();

  await db.schema
    .createTable('app_build_log_lines')
    .addColumn('build_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('ts', 'text', (c) => c.notNull())
    .addColumn('line', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('app_build_log_lines_pk', ['build_id', 'seq'])
    .execute();

  await db.schema.alterTable('deployments').addColumn('build_id', 'text').execute();
  await db.schema.alterTable('deployments').addColumn('created_by', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('deployments').dropColumn('created_by').execute();
  await db.schema.alterTable('deployments').dropColumn('build_id').execute();
  await db.schema.dropTable('app_build_log_lines').execute();
  await db.schema.dropTable('app_builds').execute();
}
