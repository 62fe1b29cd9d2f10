// Which of each app's log lines were pruned (retention, the size cap), so a stream that resumes
// after a line no longer kept can say exactly how many lines after it are gone instead of
// `skipped: null`: one row per pruning chunk, with the chunk's positions as compact runs.
import { SqliteAdapter } from 'kysely';
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  await db.schema
    .createTable('log_prunes')
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('first_seq', sqlite ? 'integer' : 'bigint', (c) => c.notNull())
    .addColumn('last_seq', sqlite ? 'integer' : 'bigint', (c) => c.notNull())
    .addColumn('lines', 'integer', (c) => c.notNull())
    .addColumn('seqs', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('log_prunes_pk', ['app_id', 'last_seq'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('log_prunes').execute();
}
