// App versions (spec 003): the rows; their files are kept beside them (app_version_files).
import type { Kysely, Selectable } from 'kysely';
import type { AppVersionRepository } from '../../core/ports/store.js';
import type { AppVersion } from '../../domain/app-version.js';
import { fromIso, toIso } from '../row-values.js';
import type { AppVersionRow, Database } from '../schema.js';

const toVersion = (row: Selectable<AppVersionRow>): AppVersion => ({
  id: row.id,
  appId: row.app_id,
  workspaceId: row.workspace_id,
  copiedFrom: row.copied_from,
  createdBy: row.created_by,
  createdAt: fromIso(row.created_at),
  updatedAt: fromIso(row.updated_at),
});

export function appVersionRepository(db: Kysely<Database>): AppVersionRepository {
  return {
    async create(version) {
      await db
        .insertInto('app_versions')
        .values({
          id: version.id,
          app_id: version.appId,
          workspace_id: version.workspaceId,
          copied_from: version.copiedFrom,
          created_by: version.createdBy,
          created_at: toIso(version.createdAt),
          updated_at: toIso(version.updatedAt),
        })
        .execute();
    },
    async byId(versionId) {
      const row = await db.selectFrom('app_versions').selectAll().where('id', '=', versionId).executeTakeFirst();
      return row ? toVersion(row) : null;
    },
    async list(appId) {
      return (await db.selectFrom('app_versions').selectAll().where('app_id', '=', appId).orderBy('id').execute()).map(toVersion);
    },
  };
}
