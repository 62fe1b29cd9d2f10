// Telemetry (issue 5): log lines with per-app usage for the size cap, metric roll-up buckets and
// alerts. Timestamps here are integer epoch milliseconds: logs are the largest table Berth has,
// and integers keep its rows and indexes small and its range scans cheap on both backends.
import { SqliteAdapter, sql } from 'kysely';
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  // On SQLite an INTEGER PRIMARY KEY is the rowid itself: no second copy of the key.
  await db.schema
    .createTable('log_lines')
    .addColumn('seq', sqlite ? 'integer' : 'bigint', (c) => c.primaryKey())
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('ts', 'bigint', (c) => c.notNull())
    .addColumn('severity', 'integer', (c) => c.notNull())
    .addColumn('stream', 'integer', (c) => c.notNull())
    .addColumn('revision_name', 'text', (c) => c.notNull())
    .addColumn('instance_id', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('log_lines_app_ts').on('log_lines').columns(['app_id', 'ts', 'seq']).execute();
  await db.schema.createIndex('log_lines_app_severity_ts').on('log_lines').columns(['app_id', 'severity', 'ts', 'seq']).execute();

  await db.schema
    .createTable('log_usage')
    .addColumn('app_id', 'text', (c) => c.primaryKey())
    .addColumn('lines', 'bigint', (c) => c.notNull())
    .addColumn('bytes', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('metric_buckets')
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('resolution_s', 'integer', (c) => c.notNull())
    .addColumn('start_ms', 'bigint', (c) => c.notNull())
    .addColumn('samples', 'integer', (c) => c.notNull())
    .addColumn('cpu_sum', 'double precision', (c) => c.notNull())
    .addColumn('cpu_max', 'double precision', (c) => c.notNull())
    .addColumn('memory_sum', 'double precision', (c) => c.notNull())
    .addColumn('memory_max', 'double precision', (c) => c.notNull())
    .addColumn('instances_sum', 'double precision', (c) => c.notNull())
    .addColumn('instances_max', 'double precision', (c) => c.notNull())
    .addColumn('requests', 'bigint', (c) => c.notNull())
    .addColumn('errors', 'bigint', (c) => c.notNull())
    .addColumn('latency_sum_ms', 'double precision', (c) => c.notNull())
    .addColumn('latency_max_ms', 'double precision', (c) => c.notNull())
    .addPrimaryKeyConstraint('metric_buckets_pk', ['app_id', 'resolution_s', 'start_ms'])
    .execute();
  await db.schema.createIndex('metric_buckets_age').on('metric_buckets').columns(['resolution_s', 'start_ms']).execute();

  await db.schema
    .createTable('alerts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('triggered_at', 'text', (c) => c.notNull())
    .addColumn('resolved_at', 'text')
    .addColumn('resolved_by', 'text')
    .execute();
  // At most one open alert per app and type, whatever races the evaluators run into.
  await db.schema
    .createIndex('alerts_one_open')
    .on('alerts')
    .columns(['app_id', 'type'])
    .unique()
    .where(sql.ref('resolved_at'), 'is', null)
    .execute();
  await db.schema.createIndex('alerts_workspace').on('alerts').columns(['workspace_id', 'triggered_at']).execute();
  await db.schema.createIndex('deployments_workspace_created').on('deployments').columns(['workspace_id', 'created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('deployments_workspace_created').execute();
  await db.schema.dropTable('alerts').execute();
  await db.schema.dropTable('metric_buckets').execute();
  await db.schema.dropTable('log_usage').execute();
  await db.schema.dropTable('log_lines').execute();
}
