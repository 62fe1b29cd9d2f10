// The Apps API (spec 002, issue 13): an app's own build command, audit entries that name the app
// they changed (read back per app), and the app's Kubernetes-style events, folded by a key.
import { sql } from 'kysely';
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('apps').addColumn('build_command', 'text').execute();

  await db.schema.alterTable('audit_entries').addColumn('app_id', 'text').execute();
  await sql`update audit_entries set app_id = target_id where target_type = 'app'`.execute(db);
  await sql`update audit_entries set app_id = (select d.app_id from deployments d where d.id = audit_entries.target_id) where target_type = 'deployment'`.execute(db);
  await sql`update audit_entries set app_id = (select u.app_id from uploads u where u.id = audit_entries.target_id) where target_type = 'upload'`.execute(db);
  await sql`update audit_entries set app_id = (select s.app_id from public_shares s where s.id = audit_entries.target_id) where target_type = 'share'`.execute(db);
  await sql`update audit_entries set app_id = (select d.app_id from domains d where d.id = audit_entries.target_id) where target_type = 'domain'`.execute(db);
  await db.schema.createIndex('audit_entries_app').on('audit_entries').columns(['app_id', 'id']).execute();

  await db.schema
    .createTable('app_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('object_kind', 'text', (c) => c.notNull())
    .addColumn('object_name', 'text', (c) => c.notNull())
    .addColumn('fold_key', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('first_at', 'text', (c) => c.notNull())
    .addColumn('last_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('app_events_app_last').on('app_events').columns(['app_id', 'last_at']).execute();
  await db.schema.createIndex('app_events_fold').on('app_events').columns(['app_id', 'fold_key']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('app_events').execute();
  await db.schema.dropIndex('audit_entries_app').execute();
  await db.schema.alterTable('audit_entries').dropColumn('app_id').execute();
  await db.schema.alterTable('apps').dropColumn('build_command').execute();
}
