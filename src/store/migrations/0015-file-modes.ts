// File modes in app versions (spec 003, Berth's addition): a file marked executable (0755, else
// 0644) keeps the bit through copies, build snapshots, builds and previews.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('app_version_files').addColumn('executable', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('app_version_files').dropColumn('executable').execute();
}
