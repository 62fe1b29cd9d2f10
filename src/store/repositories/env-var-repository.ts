// Runtime env vars; secret values are sealed before they reach the store.
import type { Kysely, Selectable } from 'kysely';
import type { SecretBox } from '../../core/ports/secret-box.js';
import type { EnvVarRepository } from '../../core/ports/store.js';
import { envScopes } from '../../domain/env-var-record.js';
import type { EnvVar } from '../../domain/env-var-record.js';
import { fromFlag, fromIso, toFlag, toIso } from '../row-values.js';
import type { Database, EnvVarRow } from '../schema.js';

export function envVarRepository(db: Kysely<Database>, box: SecretBox): EnvVarRepository {
  const toEnvVar = (row: Selectable<EnvVarRow>): EnvVar => {
    const isSecret = fromFlag(row.is_secret);
    return {
      id: row.id,
      appId: row.app_id,
      key: row.key,
      value: isSecret ? box.open(row.value) : row.value,
      isSecret,
      scope: envScopes.find((s) => s === row.scope) ?? 'both',
      createdAt: fromIso(row.created_at),
      updatedAt: fromIso(row.updated_at),
    };
  };

  return {
    async list(appId) {
      const rows = await db.selectFrom('env_vars').selectAll().where('app_id', '=', appId).orderBy('key').execute();
      return rows.map(toEnvVar);
    },
    async listOfApps(appIds) {
      const byApp = new Map<string, EnvVar[]>();
      if (appIds.length === 0) return byApp;
      const rows = await db.selectFrom('env_vars').selectAll().where('app_id', 'in', [...appIds]).orderBy('app_id').orderBy('key').execute();
      for (const envVar of rows.map(toEnvVar)) byApp.set(envVar.appId, [...(byApp.get(envVar.appId) ?? []), envVar]);
      return byApp;
    },
    async upsertMany(vars) {
      return db.transaction().execute(async (trx) => {
        const saved: EnvVar[] = [];
        for (const envVar of vars) {
          const existing = await trx
            .selectFrom('env_vars')
            .select(['id', 'created_at'])
            .where('app_id', '=', envVar.appId)
            .where('key', '=', envVar.key)
            .executeTakeFirst();
          const value = envVar.isSecret ? box.seal(envVar.value) : envVar.value;
          if (existing) {
            await trx
              .updateTable('env_vars')
              .set({ value, is_secret: toFlag(envVar.isSecret), scope: envVar.scope, updated_at: toIso(envVar.updatedAt) })
              .where('id', '=', existing.id)
              .execute();
            saved.push({ ...envVar, id: existing.id, createdAt: fromIso(existing.created_at) });
          } else {
            await trx
              .insertInto('env_vars')
              .values({
                id: envVar.id,
                app_id: envVar.appId,
                key: envVar.key,
                value,
                is_secret: toFlag(envVar.isSecret),
                scope: envVar.scope,
                created_at: toIso(envVar.createdAt),
                updated_at: toIso(envVar.updatedAt),
              })
              .execute();
            saved.push(envVar);
          }
        }
        return saved;
      });
    },
    async delete(appId, envVarId) {
      const result = await db
        .deleteFrom('env_vars')
        .where('app_id', '=', appId)
        .where('id', '=', envVarId)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}
