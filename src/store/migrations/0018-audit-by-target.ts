// A database's audit trail (every query call among it) is read newest first, a page at a time,
// by its target: by this index, instead of walking every entry of the workspace.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('audit_entries_target').on('audit_entries').columns(['target_type', 'target_id', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('audit_entries_target').execute();
}
