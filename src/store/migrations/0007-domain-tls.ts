// Issue 16: a custom domain's certificate, as the edge reports it: why issuance failed (or
// renewal is failing) and when the served certificate expires.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('domains').addColumn('tls_error', 'text').execute();
  await db.schema.alterTable('domains').addColumn('tls_expires_at', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('domains').dropColumn('tls_expires_at').execute();
  await db.schema.alterTable('domains').dropColumn('tls_error').execute();
}
