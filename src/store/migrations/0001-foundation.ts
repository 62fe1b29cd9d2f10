// Workspaces, keys, apps and what hangs off an app (issue 2's store).
import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// Migrations are written against an untyped Kysely: the schema they create is the one
// `schema.ts` describes from then on.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('workspaces')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('key_prefix', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text')
    .addColumn('last_used_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('deleted_at', 'text')
    .execute();
  await db.schema.createIndex('api_keys_workspace').on('api_keys').columns(['workspace_id', 'created_at']).execute();

  await db.schema
    .createTable('apps')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_search', 'text', (c) => c.notNull())
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('source_type', 'text', (c) => c.notNull())
    .addColumn('git_repo_url', 'text')
    .addColumn('git_branch', 'text', (c) => c.notNull())
    .addColumn('git_provider', 'text')
    .addColumn('git_installation_id', 'text')
    .addColumn('image_ref', 'text')
    .addColumn('image_registry_auth_ref', 'text')
    .addColumn('dockerfile_path', 'text')
    .addColumn('auto_deploy', 'integer', (c) => c.notNull())
    .addColumn('release_command', 'text')
    .addColumn('visibility', 'text', (c) => c.notNull())
    .addColumn('cpu_limit_millicores', 'integer', (c) => c.notNull())
    .addColumn('memory_limit_mi', 'integer', (c) => c.notNull())
    .addColumn('min_replicas', 'integer', (c) => c.notNull())
    .addColumn('max_replicas', 'integer', (c) => c.notNull())
    .addColumn('cpu_target_utilization', 'integer', (c) => c.notNull())
    .addColumn('schedule', 'text')
    .addColumn('port', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('deleted_at', 'text')
    .execute();
  // A slug is unique among a workspace's live apps; a soft-deleted app frees its slug.
  await db.schema
    .createIndex('apps_live_slug')
    .on('apps')
    .columns(['workspace_id', 'slug'])
    .unique()
    .where(sql.ref('deleted_at'), 'is', null)
    .execute();
  await db.schema.createIndex('apps_listing').on('apps').columns(['workspace_id', 'deleted_at', 'id']).execute();
  await db.schema.createIndex('apps_by_slug').on('apps').columns(['slug']).execute();

  await db.schema
    .createTable('public_shares')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('token_sealed', 'text', (c) => c.notNull())
    .addColumn('require_auth', 'integer', (c) => c.notNull())
    .addColumn('expires_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema.createIndex('public_shares_app').on('public_shares').columns(['app_id']).execute();

  await db.schema
    .createTable('domains')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('domain', 'text', (c) => c.notNull().unique())
    .addColumn('target_port', 'integer')
    .addColumn('verified', 'integer', (c) => c.notNull())
    .addColumn('tls_status', 'text', (c) => c.notNull())
    .addColumn('verification_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('verified_at', 'text')
    .execute();
  await db.schema.createIndex('domains_app').on('domains').columns(['app_id']).execute();

  await db.schema
    .createTable('env_vars')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('is_secret', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('env_vars_app_key', ['app_id', 'key'])
    .execute();

  await db.schema
    .createTable('deployments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('trigger_type', 'text', (c) => c.notNull())
    .addColumn('git_branch', 'text')
    .addColumn('git_commit_sha', 'text')
    .addColumn('git_commit_message', 'text')
    .addColumn('buildpack', 'text')
    .addColumn('image_ref', 'text')
    .addColumn('revision_name', 'text')
    .addColumn('rolled_back_from', 'text')
    .addColumn('error', 'text')
    .addColumn('started_at', 'text')
    .addColumn('finished_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('deployments_app').on('deployments').columns(['app_id', 'id']).execute();

  await db.schema
    .createTable('audit_entries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('actor_key_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text')
    .addColumn('detail', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_workspace').on('audit_entries').columns(['workspace_id', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['audit_entries', 'deployments', 'env_vars', 'domains', 'public_shares', 'apps', 'api_keys', 'workspaces']) {
    await db.schema.dropTable(table).execute();
  }
}
