// The audit trail: append-only.
import type { Kysely } from 'kysely';
import type { AuditRepository } from '../../core/ports/store.js';
import { fromIso, toIso } from '../row-values.js';
import type { Database } from '../schema.js';

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
      return rows.map((row) => ({
        id: row.id,
        workspaceId: row.workspace_id,
        actorKeyId: row.actor_key_id,
        action: row.action,
        targetType: row.target_type,
        targetId: row.target_id,
        detail: row.detail ? (JSON.parse(row.detail) as Record<string, unknown>) : null,
        createdAt: fromIso(row.created_at),
      }));
    },
  };
}
