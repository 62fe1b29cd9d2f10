// Containers (issue 11): a revision says whether it runs a tree Berth built or an image pinned by
// digest, and workspaces keep registry credentials (the secret sealed) that image deploys name.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('revisions').addColumn('artifact_kind', 'text', (c) => c.notNull().defaultTo('tree')).execute();

  await db.schema
    .createTable('registry_credentials')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('registry', 'text', (c) => c.notNull())
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('secret_sealed', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('registry_credentials_workspace_name', ['workspace_id', 'name'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('registry_credentials').execute();
  await db.schema.alterTable('revisions').dropColumn('artifact_kind').execute();
}
