// Alerts, with at most one open per app and type (a partial unique index guards it).
import type { Kysely, Selectable } from 'kysely';
import type { Alert, AlertRepository, AlertSeverity, AlertType } from '../../core/ports/telemetry.js';
import { fromIso, fromIsoOrNull, isUniqueViolation, toIso } from '../row-values.js';
import type { AlertRow, Database } from '../schema.js';

type Joined = Selectable<AlertRow> & { app_name: string | null };

const toAlert = (row: Joined): Alert => ({
  id: row.id,
  workspaceId: row.workspace_id,
  appId: row.app_id,
  appName: row.app_name ?? row.app_id,
  type: row.type as AlertType,
  severity: row.severity as AlertSeverity,
  message: row.message,
  triggeredAt: fromIso(row.triggered_at),
  resolvedAt: fromIsoOrNull(row.resolved_at),
  resolvedBy: row.resolved_by === 'auto' || row.resolved_by === 'user' ? row.resolved_by : null,
});

export function alertRepository(db: Kysely<Database>): AlertRepository {
  const joined = () => db.selectFrom('alerts').leftJoin('apps', 'apps.id', 'alerts.app_id').selectAll('alerts').select('apps.name as app_name');
  const byId = async (alertId: string) => {
    const row = await joined().where('alerts.id', '=', alertId).executeTakeFirst();
    return row ? toAlert(row) : null;
  };

  return {
    async open(alert) {
      const existing = await db
        .selectFrom('alerts')
        .select('id')
        .where('app_id', '=', alert.appId)
        .where('type', '=', alert.type)
        .where('resolved_at', 'is', null)
        .executeTakeFirst();
      if (existing) return null;
      try {
        await db
          .insertInto('alerts')
          .values({
            id: alert.id,
            workspace_id: alert.workspaceId,
            app_id: alert.appId,
            type: alert.type,
            severity: alert.severity,
            message: alert.message,
            triggered_at: toIso(alert.triggeredAt),
            resolved_at: null,
            resolved_by: null,
          })
          .execute();
      } catch (error) {
        if (isUniqueViolation(error)) return null;
        throw error;
      }
      return byId(alert.id);
    },

    async openAlerts() {
      return (await joined().where('alerts.resolved_at', 'is', null).execute()).map(toAlert);
    },

    async byId(workspaceId, alertId) {
      const alert = await byId(alertId);
      return alert && alert.workspaceId === workspaceId ? alert : null;
    },

    async resolve(alertId, at, by) {
      const result = await db
        .updateTable('alerts')
        .set({ resolved_at: toIso(at), resolved_by: by })
        .where('id', '=', alertId)
        .where('resolved_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0 ? byId(alertId) : null;
    },

    async list(q) {
      let query = joined().where('alerts.workspace_id', '=', q.workspaceId);
      if (q.appId !== null) query = query.where('alerts.app_id', '=', q.appId);
      if (q.resolved === true) query = query.where('alerts.resolved_at', 'is not', null);
      if (q.resolved === false) query = query.where('alerts.resolved_at', 'is', null);
      const rows = await query.orderBy('alerts.triggered_at', 'desc').orderBy('alerts.id', 'desc').limit(q.limit).execute();
      return rows.map(toAlert);
    },

    async recent(workspaceId, limit) {
      const rows = await joined()
        .where('alerts.workspace_id', '=', workspaceId)
        .orderBy('alerts.triggered_at', 'desc')
        .orderBy('alerts.id', 'desc')
        .limit(limit)
        .execute();
      return rows.map(toAlert);
    },
  };
}
