// Traffic splits per app; replaced as a whole, atomically, so the edge never sees half a change.
import type { Kysely } from 'kysely';
import type { TrafficRepository } from '../../core/ports/store.js';
import type { TrafficSplit } from '../../domain/revision.js';
import { toIso } from '../row-values.js';
import type { Database } from '../schema.js';

export function trafficRepository(db: Kysely<Database>): TrafficRepository {
  const query = () =>
    db
      .selectFrom('traffic_splits')
      .innerJoin('revisions', 'revisions.id', 'traffic_splits.revision_id')
      .select(['traffic_splits.app_id', 'traffic_splits.revision_id', 'revisions.name', 'traffic_splits.percent', 'traffic_splits.tag'])
      .orderBy('traffic_splits.percent', 'desc')
      .orderBy('revisions.sequence', 'desc');

  const toSplit = (row: { revision_id: string; name: string; percent: number; tag: string | null }): TrafficSplit => ({
    revisionId: row.revision_id,
    revisionName: row.name,
    percent: row.percent,
    tag: row.tag,
  });

  return {
    async get(appId) {
      return (await query().where('traffic_splits.app_id', '=', appId).execute()).map(toSplit);
    },
    async set(appId, splits, at) {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('traffic_splits').where('app_id', '=', appId).execute();
        if (splits.length > 0) {
          await trx
            .insertInto('traffic_splits')
            .values(splits.map((s) => ({ app_id: appId, revision_id: s.revisionId, percent: s.percent, tag: s.tag })))
            .execute();
        }
        await trx.updateTable('apps').set({ traffic_updated_at: toIso(at) }).where('id', '=', appId).execute();
      });
    },
    async all() {
      const byApp = new Map<string, TrafficSplit[]>();
      for (const row of await query().execute()) {
        const list = byApp.get(row.app_id) ?? [];
        list.push(toSplit(row));
        byApp.set(row.app_id, list);
      }
      return byApp;
    },
  };
}
