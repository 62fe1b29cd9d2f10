// API keys, stored by hash; deleted keys stay for the audit trail but never authenticate.
import type { Kysely, Selectable } from 'kysely';
import type { ApiKeyRepository } from '../../core/ports/store.js';
import { isScope } from '../../domain/scopes.js';
import type { ApiKey } from '../../domain/workspace.js';
import { fromIso, fromIsoOrNull, toIso, toIsoOrNull } from '../row-values.js';
import type { ApiKeyRow, Database } from '../schema.js';

function toKey(row: Selectable<ApiKeyRow>): ApiKey {
  const parsed: unknown = JSON.parse(row.scopes);
  const scopes = Array.isArray(parsed) ? parsed.filter((s): s is string => typeof s === 'string').filter(isScope) : [];
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    name: row.name,
    keyPrefix: row.key_prefix,
    scopes,
    expiresAt: fromIsoOrNull(row.expires_at),
    lastUsedAt: fromIsoOrNull(row.last_used_at),
    createdAt: fromIso(row.created_at),
  };
}

export function apiKeyRepository(db: Kysely<Database>): ApiKeyRepository {
  return {
    async create(key) {
      await db
        .insertInto('api_keys')
        .values({
          id: key.id,
          workspace_id: key.workspaceId,
          name: key.name,
          key_prefix: key.keyPrefix,
          key_hash: key.keyHash,
          scopes: JSON.stringify(key.scopes),
          expires_at: toIsoOrNull(key.expiresAt),
          last_used_at: null,
          created_at: toIso(key.createdAt),
          deleted_at: null,
        })
        .execute();
    },
    async byHash(keyHash) {
      const row = await db
        .selectFrom('api_keys')
        .selectAll()
        .where('key_hash', '=', keyHash)
        .where('deleted_at', 'is', null)
        .executeTakeFirst();
      return row ? toKey(row) : null;
    },
    async list(workspaceId) {
      const rows = await db
        .selectFrom('api_keys')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('deleted_at', 'is', null)
        .orderBy('id', 'desc')
        .execute();
      return rows.map(toKey);
    },
    async delete(workspaceId, keyId, at) {
      const result = await db
        .updateTable('api_keys')
        .set({ deleted_at: toIso(at) })
        .where('id', '=', keyId)
        .where('workspace_id', '=', workspaceId)
        .where('deleted_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    async touch(keyId, at) {
      await db.updateTable('api_keys').set({ last_used_at: toIso(at) }).where('id', '=', keyId).execute();
    },
  };
}
