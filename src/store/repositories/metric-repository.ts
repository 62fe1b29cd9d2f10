// Roll-up buckets of app metrics (one row per app, resolution and bucket start). The sampler
// adds each sample to its bucket; sums add up and maxima keep the larger, so writes commute.
import { sql } from 'kysely';
import type { Kysely, Selectable } from 'kysely';
import type { MetricBucket, MetricRepository } from '../../core/ports/telemetry.js';
import type { Database, MetricBucketRow } from '../schema.js';

const toBucket = (row: Selectable<MetricBucketRow>): MetricBucket => ({
  appId: row.app_id,
  resolutionS: row.resolution_s,
  start: new Date(Number(row.start_ms)),
  samples: Number(row.samples),
  cpuSum: Number(row.cpu_sum),
  cpuMax: Number(row.cpu_max),
  memorySum: Number(row.memory_sum),
  memoryMax: Number(row.memory_max),
  instancesSum: Number(row.instances_sum),
  instancesMax: Number(row.instances_max),
  requests: Number(row.requests),
  errors: Number(row.errors),
  latencySumMs: Number(row.latency_sum_ms),
  latencyMaxMs: Number(row.latency_max_ms),
});

/** `greatest()` is PostgreSQL's and `max(a, b)` SQLite's; CASE is both. */
const larger = (column: string) =>
  sql<number>`case when excluded.${sql.ref(column)} > metric_buckets.${sql.ref(column)} then excluded.${sql.ref(column)} else metric_buckets.${sql.ref(column)} end`;
const added = (column: string) => sql<number>`metric_buckets.${sql.ref(column)} + excluded.${sql.ref(column)}`;

/** 14 values a row: far below SQLite's 32,766 and PostgreSQL's 65,535 bind parameters per statement. */
const ROWS_PER_STATEMENT = 200;

export function metricRepository(db: Kysely<Database>): MetricRepository {
  async function upsert(buckets: readonly MetricBucket[]): Promise<void> {
    await db
      .insertInto('metric_buckets')
      .values(
        buckets.map((b) => ({
          app_id: b.appId,
          resolution_s: b.resolutionS,
          start_ms: b.start.getTime(),
          samples: b.samples,
          cpu_sum: b.cpuSum,
          cpu_max: b.cpuMax,
          memory_sum: b.memorySum,
          memory_max: b.memoryMax,
          instances_sum: b.instancesSum,
          instances_max: b.instancesMax,
          requests: b.requests,
          errors: b.errors,
          latency_sum_ms: b.latencySumMs,
          latency_max_ms: b.latencyMaxMs,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['app_id', 'resolution_s', 'start_ms']).doUpdateSet({
          samples: added('samples'),
          cpu_sum: added('cpu_sum'),
          cpu_max: larger('cpu_max'),
          memory_sum: added('memory_sum'),
          memory_max: larger('memory_max'),
          instances_sum: added('instances_sum'),
          instances_max: larger('instances_max'),
          requests: added('requests'),
          errors: added('errors'),
          latency_sum_ms: added('latency_sum_ms'),
          latency_max_ms: larger('latency_max_ms'),
        }),
      )
      .execute();
  }

  return {
    async add(buckets) {
      for (let first = 0; first < buckets.length; first += ROWS_PER_STATEMENT) {
        // Each statement blocks SQLite's (synchronous) connection: let the API and edge in between.
        if (first > 0) await new Promise((resolve) => setImmediate(resolve));
        await upsert(buckets.slice(first, first + ROWS_PER_STATEMENT));
      }
    },

    async range(appId, resolutionS, from, to) {
      const rows = await db
        .selectFrom('metric_buckets')
        .selectAll()
        .where('app_id', '=', appId)
        .where('resolution_s', '=', resolutionS)
        .where('start_ms', '>=', from.getTime())
        .where('start_ms', '<', to.getTime())
        .orderBy('start_ms')
        .execute();
      return rows.map(toBucket);
    },

    async deleteBefore(resolutionS, before) {
      const result = await db
        .deleteFrom('metric_buckets')
        .where('resolution_s', '=', resolutionS)
        .where('start_ms', '<', before.getTime())
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
