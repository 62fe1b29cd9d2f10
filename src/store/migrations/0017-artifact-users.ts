// One app's prune asks which other apps use the artifacts it would remove (they are
// content-addressed, so several apps' revisions and builds may share one): by these indexes,
// instead of scanning every revision and build ever made.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('revisions_by_image_ref').on('revisions').columns(['image_ref']).execute();
  await db.schema.createIndex('app_builds_by_image_ref').on('app_builds').columns(['image_ref']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('app_builds_by_image_ref').execute();
  await db.schema.dropIndex('revisions_by_image_ref').execute();
}
