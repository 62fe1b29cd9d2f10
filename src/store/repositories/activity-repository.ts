// Read-only views over deployments for the monitoring overview and the build/deploy alerts.
// A failed deployment that never got a revision failed in its build; one with a revision failed
// while rolling out (the revision is created only from a built artifact).
import type { Kysely } from 'kysely';
import type { ActivityRepository } from '../../core/ports/telemetry.js';
import { fromIso, toIso } from '../row-values.js';
import type { Database } from '../schema.js';

export function activityRepository(db: Kysely<Database>): ActivityRepository {
  return {
    async deployStats(workspaceId, since) {
      const row = await db
        .selectFrom('deployments')
        .where('workspace_id', '=', workspaceId)
        .select((eb) => [
          eb.fn.countAll<number>().as('total'),
          eb.fn.sum<number>(eb.case().when('created_at', '>=', toIso(since)).then(1).else(0).end()).as('today'),
          eb.fn
            .sum<number>(
              eb
                .case()
                .when(eb.and([eb('created_at', '>=', toIso(since)), eb('status', '=', 'failed'), eb('revision_name', 'is', null)]))
                .then(1)
                .else(0)
                .end(),
            )
            .as('failed_builds'),
        ])
        .executeTakeFirst();
      return { total: Number(row?.total ?? 0), today: Number(row?.today ?? 0), failedBuildsToday: Number(row?.failed_builds ?? 0) };
    },

    async recentDeploys(workspaceId, limit) {
      const rows = await db
        .selectFrom('deployments')
        .innerJoin('apps', 'apps.id', 'deployments.app_id')
        .select(['deployments.app_id', 'apps.name', 'deployments.status', 'deployments.created_at', 'deployments.finished_at'])
        .where('deployments.workspace_id', '=', workspaceId)
        .orderBy('deployments.created_at', 'desc')
        .orderBy('deployments.id', 'desc')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ appId: r.app_id, appName: r.name, status: r.status, timestamp: fromIso(r.finished_at ?? r.created_at) }));
    },

    async failedSince(since) {
      const rows = await db
        .selectFrom('deployments')
        .select(['id', 'app_id', 'workspace_id', 'revision_name', 'error', 'finished_at', 'created_at'])
        .where('status', '=', 'failed')
        .where('finished_at', '>', toIso(since))
        .orderBy('finished_at')
        .execute();
      return rows.map((r) => ({
        id: r.id,
        appId: r.app_id,
        workspaceId: r.workspace_id,
        failedBuild: r.revision_name === null,
        error: r.error,
        finishedAt: fromIso(r.finished_at ?? r.created_at),
      }));
    },

    async succeededSince(since) {
      const rows = await db
        .selectFrom('deployments')
        .select(['app_id', 'finished_at', 'created_at'])
        .where('status', '=', 'succeeded')
        .where('finished_at', '>', toIso(since))
        .orderBy('finished_at')
        .execute();
      return rows.map((r) => ({ appId: r.app_id, finishedAt: fromIso(r.finished_at ?? r.created_at) }));
    },
  };
}
