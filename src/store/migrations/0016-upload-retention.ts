// Retention of uploaded tarballs (BERTH_KEEP_REVISIONS): every prune lists each live app's uploads
// newest first, and a deploy finds the app's latest complete one; both walk this index instead of
// scanning every upload ever received.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('uploads_by_app').on('uploads').columns(['app_id', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('uploads_by_app').execute();
}
