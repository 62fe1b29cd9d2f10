// Run history of cron apps, with exit codes.
import type { Kysely, Selectable } from 'kysely';
import type { CronRunRepository } from '../../core/ports/store.js';
import type { CronRun, CronRunStatus } from '../../domain/cron-run.js';
import { fromIso, fromIsoOrNull, toIso, toIsoOrNull } from '../row-values.js';
import type { CronRunRow, Database } from '../schema.js';

const toRun = (row: Selectable<CronRunRow>): CronRun => ({
  id: row.id,
  appId: row.app_id,
  revisionId: row.revision_id,
  scheduledFor: fromIso(row.scheduled_for),
  startedAt: fromIso(row.started_at),
  finishedAt: fromIsoOrNull(row.finished_at),
  exitCode: row.exit_code,
  status: row.status as CronRunStatus,
});

export function cronRunRepository(db: Kysely<Database>): CronRunRepository {
  return {
    async create(run) {
      await db
        .insertInto('cron_runs')
        .values({
          id: run.id,
          app_id: run.appId,
          revision_id: run.revisionId,
          scheduled_for: toIso(run.scheduledFor),
          started_at: toIso(run.startedAt),
          finished_at: toIsoOrNull(run.finishedAt),
          exit_code: run.exitCode,
          status: run.status,
        })
        .execute();
    },
    async finish(runId, result) {
      await db
        .updateTable('cron_runs')
        .set({ status: result.status, exit_code: result.exitCode, finished_at: toIso(result.finishedAt) })
        .where('id', '=', runId)
        .execute();
    },
    async list(appId, limit) {
      const rows = await db.selectFrom('cron_runs').selectAll().where('app_id', '=', appId).orderBy('id', 'desc').limit(limit).execute();
      return rows.map(toRun);
    },
    async latestOf(appIds) {
      if (appIds.length === 0) return new Map();
      const newest = db.selectFrom('cron_runs').select((eb) => eb.fn.max('id').as('id')).where('app_id', 'in', [...appIds]).groupBy('app_id');
      const rows = await db.selectFrom('cron_runs').selectAll().where('id', 'in', newest).execute();
      return new Map(rows.map((row) => [row.app_id, toRun(row)]));
    },
    async failUnfinished(at) {
      const result = await db
        .updateTable('cron_runs')
        .set({ status: 'failed', finished_at: toIso(at) })
        .where('status', '=', 'running')
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
  };
}
