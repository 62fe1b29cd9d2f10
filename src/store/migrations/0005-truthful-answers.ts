// Answers that say what happened (issue 9): how far each deployment got and whether a build of
// its own produced its artifact, where a revision's code came from, and git providers as the
// client types them (GITHUB | GITLAB | BITBUCKET, null for other hosts) instead of host names.
import { sql } from 'kysely';
import type { Kysely } from 'kysely';

const providers: [string, string][] = [
  ['github.com', 'GITHUB'],
  ['gitlab.com', 'GITLAB'],
  ['bitbucket.org', 'BITBUCKET'],
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('deployments').addColumn('stage', 'text').execute();
  await db.schema.alterTable('deployments').addColumn('built_at', 'text').execute();
  await db.schema.alterTable('deployments').addColumn('reused_revision', 'text').execute();
  await db.schema.alterTable('revisions').addColumn('provenance', 'text').execute();
  for (const [host, provider] of providers) {
    await sql`update apps set git_provider = ${provider} where lower(git_provider) = ${host}`.execute(db);
  }
  await sql`update apps set git_provider = null where git_provider not in ('GITHUB', 'GITLAB', 'BITBUCKET')`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('revisions').dropColumn('provenance').execute();
  await db.schema.alterTable('deployments').dropColumn('reused_revision').execute();
  await db.schema.alterTable('deployments').dropColumn('built_at').execute();
  await db.schema.alterTable('deployments').dropColumn('stage').execute();
}
