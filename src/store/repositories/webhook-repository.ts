// Per-app webhook secrets, sealed at rest: verifying an HMAC needs the secret itself.
import type { Kysely } from 'kysely';
import type { SecretBox } from '../../core/ports/secret-box.js';
import type { WebhookRepository } from '../../core/ports/builds.js';
import { toIso } from '../row-values.js';
import type { Database } from '../schema.js';

export function webhookRepository(db: Kysely<Database>, box: SecretBox): WebhookRepository {
  return {
    async setSecret(appId, secret, at) {
      const sealed = box.seal(secret);
      await db
        .insertInto('app_webhooks')
        .values({ app_id: appId, secret_sealed: sealed, created_at: toIso(at) })
        .onConflict((oc) => oc.column('app_id').doUpdateSet({ secret_sealed: sealed, created_at: toIso(at) }))
        .execute();
    },
    async secret(appId) {
      const row = await db.selectFrom('app_webhooks').select('secret_sealed').where('app_id', '=', appId).executeTakeFirst();
      return row ? box.open(row.secret_sealed) : null;
    },
  };
}
