// The audit trail: append-only.
import type { Kysely } from 'kysely';
import type { Selectable } from 'kysely';
import type { AuditRepository } from '../../core/ports/store.js';
import type { AuditEntry } from '../../domain/audit.js';
import { fromIso, toIso } from '../row-values.js';
import type { AuditRow, Database } from '../schema.js';

function toEntry(row: Selectable<AuditRow>): AuditEntry {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    actorKeyId: row.actor_key_id,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    appId: row.app_id,
    detail: row.detail ? (JSON.parse(row.detail) as Record<string, unknown>) : null,
    createdAt: fromIso(row.created_at),
  };
}

export function auditRepository(db: Kysely<Database>): AuditRepository {
  return {
    async append(entry) {
      await db
        .insertInto('audit_entries')
        .values({
          id: entry.id,
          workspace_id: entry.workspaceId,
          actor_key_id: entry.actorKeyId,
          action: entry.action,
          target_type: entry.targetType,
          target_id: entry.targetId,
          app_id: entry.appId,
          detail: entry.detail ? JSON.stringify(entry.detail) : null,
          created_at: toIso(entry.createdAt),
        })
        .execute();
    },
    async list(workspaceId, limit) {
      const rows = await db
        .selectFrom('audit_entries')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
      return rows.map(toEntry);
    },
    async listForApp(appId, limit) {
      const rows = await db
        .selectFrom('audit_entries as a')
        .leftJoin('api_keys as k', 'k.id', 'a.actor_key_id')
        .selectAll('a')
        .select('k.name as actor_name')
        .where('a.app_id', '=', appId)
        .orderBy('a.id', 'desc')
        .limit(limit)
        .execute();
      return rows.map((row) => ({ ...toEntry(row), actorName: row.actor_name ?? null }));
    },
    async listForTarget(query) {
      let select = db
        .selectFrom('audit_entries as a')
        .leftJoin('api_keys as k', 'k.id', 'a.actor_key_id')
        .selectAll('a')
        .select('k.name as actor_name')
        .where('a.target_type', '=', query.targetType)
        .where('a.target_id', '=', query.targetId)
        .where('a.workspace_id', '=', query.workspaceId);
      if (query.before !== null) select = select.where('a.id', '<', query.before);
      const rows = await select.orderBy('a.id', 'desc').limit(query.limit).execute();
      return rows.map((row) => ({ ...toEntry(row), actorName: row.actor_name ?? null }));
    },
  };
}
