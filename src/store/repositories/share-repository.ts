// Public share links; the token is kept sealed (to show the link again) and hashed (to look it up).
import type { Kysely, Selectable } from 'kysely';
import type { SecretBox } from '../../core/ports/secret-box.js';
import type { ShareRepository } from '../../core/ports/store.js';
import type { PublicShare } from '../../domain/share.js';
import { fromFlag, fromIso, fromIsoOrNull, toFlag, toIso, toIsoOrNull } from '../row-values.js';
import type { Database, ShareRow } from '../schema.js';

export function shareRepository(db: Kysely<Database>, box: SecretBox): ShareRepository {
  const toShare = (row: Selectable<ShareRow>): PublicShare => ({
    id: row.id,
    appId: row.app_id,
    tokenHash: row.token_hash,
    token: box.open(row.token_sealed),
    requireAuth: fromFlag(row.require_auth),
    expiresAt: fromIsoOrNull(row.expires_at),
    createdAt: fromIso(row.created_at),
    revokedAt: fromIsoOrNull(row.revoked_at),
  });

  return {
    async create(share) {
      await db
        .insertInto('public_shares')
        .values({
          id: share.id,
          app_id: share.appId,
          token_hash: share.tokenHash,
          token_sealed: box.seal(share.token),
          require_auth: toFlag(share.requireAuth),
          expires_at: toIsoOrNull(share.expiresAt),
          created_at: toIso(share.createdAt),
          revoked_at: null,
        })
        .execute();
    },
    async listActive(appId, now) {
      const rows = await db
        .selectFrom('public_shares')
        .selectAll()
        .where('app_id', '=', appId)
        .where('revoked_at', 'is', null)
        .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', toIso(now))]))
        .orderBy('id', 'desc')
        .execute();
      return rows.map(toShare);
    },
    async byId(appId, shareId) {
      const row = await db
        .selectFrom('public_shares')
        .selectAll()
        .where('app_id', '=', appId)
        .where('id', '=', shareId)
        .executeTakeFirst();
      return row ? toShare(row) : null;
    },
    async listAllActive(now) {
      const rows = await db
        .selectFrom('public_shares')
        .selectAll()
        .where('revoked_at', 'is', null)
        .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', toIso(now))]))
        .execute();
      return rows.map(toShare);
    },
    async revoke(shareId, at) {
      await db.updateTable('public_shares').set({ revoked_at: toIso(at) }).where('id', '=', shareId).execute();
    },
  };
}
