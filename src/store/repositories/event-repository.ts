// Kubernetes-style events of apps: repeats fold into one row (count, last time), and each app
// keeps only its most recent events.
import type { Kysely } from 'kysely';
import type { EventRepository } from '../../core/ports/events.js';
import type { AppEvent, EventObjectKind, EventReason, EventType } from '../../domain/app-event.js';
import { fromIso, toIso } from '../row-values.js';
import type { Database } from '../schema.js';

export function eventRepository(db: Kysely<Database>): EventRepository {
  return {
    async fold(appId, foldKey, since, at) {
      const newest = await db
        .selectFrom('app_events')
        .select(['id', 'last_at'])
        .where('app_id', '=', appId)
        .where('fold_key', '=', foldKey)
        .orderBy('last_at', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (!newest || newest.last_at < toIso(since)) return false;
      await db
        .updateTable('app_events')
        .set((eb) => ({ count: eb('count', '+', 1), last_at: toIso(at) }))
        .where('id', '=', newest.id)
        .execute();
      return true;
    },
    async insert(event) {
      await db
        .insertInto('app_events')
        .values({
          id: event.id,
          app_id: event.appId,
          type: event.type,
          reason: event.reason,
          message: event.message,
          object_kind: event.object.kind,
          object_name: event.object.name,
          fold_key: event.foldKey,
          count: event.count,
          first_at: toIso(event.firstAt),
          last_at: toIso(event.lastAt),
        })
        .execute();
    },
    async list(appId, limit) {
      const rows = await db.selectFrom('app_events').selectAll().where('app_id', '=', appId).orderBy('last_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
      return rows.map(
        (row): AppEvent => ({
          id: row.id,
          appId: row.app_id,
          type: row.type as EventType,
          reason: row.reason as EventReason,
          message: row.message,
          object: { kind: row.object_kind as EventObjectKind, name: row.object_name },
          count: Number(row.count),
          firstAt: fromIso(row.first_at),
          lastAt: fromIso(row.last_at),
        }),
      );
    },
    async prune(appId, keep) {
      const cutoff = await db
        .selectFrom('app_events')
        .select(['last_at', 'id'])
        .where('app_id', '=', appId)
        .orderBy('last_at', 'desc')
        .orderBy('id', 'desc')
        .offset(keep)
        .limit(1)
        .executeTakeFirst();
      if (!cutoff) return 0;
      const result = await db
        .deleteFrom('app_events')
        .where('app_id', '=', appId)
        .where((eb) => eb.or([eb('last_at', '<', cutoff.last_at), eb.and([eb('last_at', '=', cutoff.last_at), eb('id', '<=', cutoff.id)])]))
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
