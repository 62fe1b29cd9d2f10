// Revisions, their traffic, desired replica counts and cron runs (issue 3's desired state).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('revisions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('sequence', 'integer', (c) => c.notNull())
    .addColumn('image_ref', 'text', (c) => c.notNull())
    .addColumn('artifact_dir', 'text', (c) => c.notNull())
    .addColumn('config', 'text', (c) => c.notNull())
    .addColumn('env_sealed', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_message', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_served_at', 'text')
    .addUniqueConstraint('revisions_app_sequence', ['app_id', 'sequence'])
    .execute();
  await db.schema.createIndex('revisions_name').on('revisions').columns(['name']).execute();

  await db.schema
    .createTable('traffic_splits')
    .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('revision_id', 'text', (c) => c.notNull().references('revisions.id').onDelete('cascade'))
    .addColumn('percent', 'integer', (c) => c.notNull())
    .addColumn('tag', 'text')
    .addPrimaryKeyConstraint('traffic_splits_pk', ['app_id', 'revision_id'])
    .execute();

  await db.schema.alterTable('apps').addColumn('replicas', 'integer').execute();
  await db.schema.alterTable('apps').addColumn('traffic_updated_at', 'text').execute();
  await db.schema.alterTable('apps').addColumn('readiness_path', 'text').execute();
  await db.schema.alterTable('apps').addColumn('readiness_type', 'text').execute();

  await db.schema
    .createTable('cron_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('revision_id', 'text', (c) => c.notNull())
    .addColumn('scheduled_for', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('exit_code', 'integer')
    .addColumn('status', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('cron_runs_app').on('cron_runs').columns(['app_id', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('cron_runs').execute();
  await db.schema.dropTable('traffic_splits').execute();
  await db.schema.dropTable('revisions').execute();
}
