// The durable build queue (one row per deployment that needs a build) and the deployment
// listing of the Deploy API.
import type { Kysely, Selectable } from 'kysely';
import type { BuildJobRepository } from '../../core/ports/builds.js';
import type { BuildJob, BuildJobState, BuildSource } from '../../domain/build.js';
import { fromIso, toIso } from '../row-values.js';
import type { BuildJobRow, Database } from '../schema.js';
import { deploymentRow, toDeployment } from './deployment-repository.js';

const toJob = (row: Selectable<BuildJobRow>): BuildJob => ({
  deploymentId: row.deployment_id,
  appId: row.app_id,
  source: JSON.parse(row.source) as BuildSource,
  state: row.state as BuildJobState,
  createdAt: fromIso(row.created_at),
});

export function buildJobRepository(db: Kysely<Database>): BuildJobRepository {
  return {
    async enqueue(deployment, job) {
      // Both rows or neither: a deployment without its job would stay queued forever.
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('deployments').values(deploymentRow(deployment)).execute();
        await trx
          .insertInto('build_jobs')
          .values({
            deployment_id: job.deploymentId,
            app_id: job.appId,
            source: JSON.stringify(job.source),
            state: job.state,
            created_at: toIso(job.createdAt),
          })
          .execute();
      });
    },
    async byDeployment(deploymentId) {
      const row = await db.selectFrom('build_jobs').selectAll().where('deployment_id', '=', deploymentId).executeTakeFirst();
      return row ? toJob(row) : null;
    },
    async listByState(state, limit) {
      const rows = await db.selectFrom('build_jobs').selectAll().where('state', '=', state).orderBy('deployment_id', 'asc').limit(limit).execute();
      return rows.map(toJob);
    },
    async setState(deploymentId, state) {
      await db.updateTable('build_jobs').set({ state }).where('deployment_id', '=', deploymentId).execute();
    },
    async deploymentPage(query) {
      let base = db.selectFrom('deployments').where('app_id', '=', query.appId);
      if (query.status) base = base.where('status', '=', query.status);
      const [rows, count] = await Promise.all([
        base
          .selectAll()
          .orderBy('id', 'desc')
          .limit(query.limit)
          .offset((query.page - 1) * query.limit)
          .execute(),
        base.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirst(),
      ]);
      return { items: rows.map(toDeployment), total: Number(count?.n ?? 0) };
    },
  };
}
