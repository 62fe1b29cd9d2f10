// Spec 003's keyset list (issue 14): pages ordered by name walk an index in that order and stop
// after a page of matches instead of sorting every app of the workspace; the total of a filter on
// the name words and visibility is counted from an index alone, without reading the rows.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('apps_by_name').on('apps').columns(['workspace_id', 'deleted_at', 'name', 'id']).execute();
  await db.schema.createIndex('apps_name_search').on('apps').columns(['workspace_id', 'deleted_at', 'name_search', 'visibility']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('apps_name_search').execute();
  await db.schema.dropIndex('apps_by_name').execute();
}
