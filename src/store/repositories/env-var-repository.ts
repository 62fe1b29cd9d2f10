// Runtime env vars; secret values are sealed before they reach the store. Most apps have none, so
// the repository knows which apps may have some, and a page of apps with none costs no query.
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

  /**
   * Apps that may have env vars: loaded once, then each app marked before a var is written for it
   * and never unmarked (a superset costs a query, never a missing var). Only this repository
   * inserts env vars, in this process (as the app catalog assumes of apps).
   */
  let withVars: Promise<Set<string>> | null = null;
  const mayHaveVars = () =>
    (withVars ??= db
      .selectFrom('env_vars')
      .select('app_id')
      .distinct()
      .execute()
      .then((rows) => new Set(rows.map((row) => row.app_id)))
      .catch((error: unknown) => {
        withVars = null;
        throw error;
      }));

  return {
    async list(appId) {
      const rows = await db.selectFrom('env_vars').selectAll().where('app_id', '=', appId).orderBy('key').execute();
      return rows.map(toEnvVar);
    },
    async listOfApps(appIds) {
      const byApp = new Map<string, EnvVar[]>();
      const marked = await mayHaveVars();
      const withAny = appIds.filter((id) => marked.has(id));
      if (withAny.length === 0) return byApp;
      const rows = await db.selectFrom('env_vars').selectAll().where('app_id', 'in', withAny).orderBy('app_id').orderBy('key').execute();
      for (const envVar of rows.map(toEnvVar)) byApp.set(envVar.appId, [...(byApp.get(envVar.appId) ?? []), envVar]);
      return byApp;
    },
    async upsertMany(vars) {
      const marked = await mayHaveVars();
      for (const envVar of vars) marked.add(envVar.appId);
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
