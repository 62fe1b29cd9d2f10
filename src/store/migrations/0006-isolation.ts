// Issue 10: each app's writable space (disk_limit_mi, default 1024 MiB); a custom-domain hostname may be claimed by apps of several workspaces until one claim
// is verified (at most one verified claim per hostname; one claim per hostname per workspace).
// SQLite cannot drop the old column-level UNIQUE, so the table is rebuilt (on both backends alike).
import { sql } from 'kysely';
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('apps').addColumn('disk_limit_mi', 'integer', (c) => c.notNull().defaultTo(1024)).execute();
  await db.schema
    .createTable('domains_next')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('domain', 'text', (c) => c.notNull())
    .addColumn('target_port', 'integer')
    .addColumn('verified', 'integer', (c) => c.notNull())
    .addColumn('tls_status', 'text', (c) => c.notNull())
    .addColumn('verification_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('verified_at', 'text')
    .addUniqueConstraint('domains_workspace_hostname', ['workspace_id', 'domain'])
    .execute();
  await sql`INSERT INTO domains_next (id, app_id, workspace_id, domain, target_port, verified, tls_status, verification_token, created_at, verified_at)
    SELECT d.id, d.app_id, a.workspace_id, d.domain, d.target_port, d.verified, d.tls_status, d.verification_token, d.created_at, d.verified_at
    FROM domains d JOIN apps a ON a.id = d.app_id`.execute(db);
  await db.schema.dropTable('domains').execute();
  await db.schema.alterTable('domains_next').renameTo('domains').execute();
  await db.schema.createIndex('domains_app').on('domains').columns(['app_id']).execute();
  await db.schema.createIndex('domains_hostname').on('domains').columns(['domain']).execute();
  await db.schema
    .createIndex('domains_verified_hostname')
    .on('domains')
    .columns(['domain'])
    .unique()
    .where(sql.ref('verified'), '=', 1)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('domains_verified_hostname').execute();
  await db.schema.dropIndex('domains_hostname').execute();
  await db.schema.alterTable('apps').dropColumn('disk_limit_mi').execute();
}
