// Whether the edge keeps a browser on the instance that answered it first (apps with in-memory
// sessions, socket.io's polling transport): off for every app until its owner turns it on.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('apps').addColumn('session_affinity', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('apps').dropColumn('session_affinity').execute();
}
