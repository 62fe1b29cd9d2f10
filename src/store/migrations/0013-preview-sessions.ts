// Preview sessions (spec 003, issue 14): one row per dev server of an app version, live or ended.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('preview_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('version_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('metadata', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('last_heartbeat_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('ready_at', 'text')
    .addColumn('stopped_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('preview_sessions_version').on('preview_sessions').columns(['version_id', 'status']).execute();
  await db.schema.createIndex('preview_sessions_workspace').on('preview_sessions').columns(['workspace_id', 'status']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('preview_sessions').execute();
}
