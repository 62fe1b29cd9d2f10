// Builds of app versions (spec 003). A build's snapshot is a copy of its version's files kept in
// app_version_files under the build's id, made in the build's own transaction, so edits to the
// version after the build was asked for never reach it.
import type { Kysely, Selectable, Updateable } from 'kysely';
import type { AppBuildChanges, AppBuildRepository } from '../../core/ports/app-builds.js';
import { terminalAppBuildStatuses } from '../../domain/app-build.js';
import type { AppBuild, AppBuildStatus } from '../../domain/app-build.js';
import { fromIso, fromIsoOrNull, toIso, toIsoOrNull } from '../row-values.js';
import type { AppBuildRow, Database } from '../schema.js';

const toBuild = (row: Selectable<AppBuildRow>): AppBuild => ({
  id: row.id,
  appId: row.app_id,
  workspaceId: row.workspace_id,
  versionId: row.version_id,
  status: row.status as AppBuildStatus,
  error: row.error,
  sourceDigest: row.source_digest,
  fileCount: Number(row.file_count),
  imageRef: row.image_ref,
  command: row.command === null ? null : (JSON.parse(row.command) as string[]),
  buildpack: row.buildpack,
  createdBy: row.created_by,
  createdAt: fromIso(row.created_at),
  startedAt: fromIsoOrNull(row.started_at),
  finishedAt: fromIsoOrNull(row.finished_at),
});

function changesRow(c: AppBuildChanges): Updateable<AppBuildRow> {
  const set: Updateable<AppBuildRow> = {};
  if (c.status !== undefined) set.status = c.status;
  if (c.error !== undefined) set.error = c.error;
  if (c.sourceDigest !== undefined) set.source_digest = c.sourceDigest;
  if (c.imageRef !== undefined) set.image_ref = c.imageRef;
  if (c.command !== undefined) set.command = c.command === null ? null : JSON.stringify(c.command);
  if (c.buildpack !== undefined) set.buildpack = c.buildpack;
  if (c.startedAt !== undefined) set.started_at = toIsoOrNull(c.startedAt);
  if (c.finishedAt !== undefined) set.finished_at = toIsoOrNull(c.finishedAt);
  return set;
}

export function appBuildRepository(db: Kysely<Database>): AppBuildRepository {
  return {
    async create(build) {
      return db.transaction().execute(async (trx) => {
        const files = await trx.selectFrom('app_version_files').selectAll().where('version_id', '=', build.versionId).execute();
        for (const file of files) await trx.insertInto('app_version_files').values({ ...file, version_id: build.id }).execute();
        const stored = { ...build, fileCount: files.length };
        await trx
          .insertInto('app_builds')
          .values({
            id: stored.id,
            app_id: stored.appId,
            workspace_id: stored.workspaceId,
            version_id: stored.versionId,
            status: stored.status,
            error: stored.error,
            source_digest: stored.sourceDigest,
            file_count: stored.fileCount,
            image_ref: stored.imageRef,
            command: stored.command === null ? null : JSON.stringify(stored.command),
            buildpack: stored.buildpack,
            created_by: stored.createdBy,
            created_at: toIso(stored.createdAt),
            started_at: toIsoOrNull(stored.startedAt),
            finished_at: toIsoOrNull(stored.finishedAt),
          })
          .execute();
        return stored;
      });
    },
    async byId(buildId) {
      const row = await db.selectFrom('app_builds').selectAll().where('id', '=', buildId).executeTakeFirst();
      return row ? toBuild(row) : null;
    },
    async list(appId, query) {
      const rows = await db
        .selectFrom('app_builds')
        .selectAll()
        .where('app_id', '=', appId)
        .$if(query.versionId !== undefined, (q) => q.where('version_id', '=', query.versionId ?? ''))
        .orderBy('id', 'desc')
        .limit(query.limit)
        .execute();
      return rows.map(toBuild);
    },
    async latestSucceeded(appId, versionId) {
      const row = await db
        .selectFrom('app_builds')
        .selectAll()
        .where('app_id', '=', appId)
        .where('version_id', '=', versionId)
        .where('status', '=', 'succeeded')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row ? toBuild(row) : null;
    },
    async updateIfActive(buildId, changes, from) {
      const set = changesRow(changes);
      if (Object.keys(set).length === 0) return false;
      const result = await db
        .updateTable('app_builds')
        .set(set)
        .where('id', '=', buildId)
        .where('status', 'not in', [...terminalAppBuildStatuses])
        .$if(from !== undefined, (q) => q.where('status', 'in', [...(from ?? [])]))
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    async listByStatus(status, limit) {
      const rows = await db.selectFrom('app_builds').selectAll().where('status', '=', status).orderBy('id').limit(limit).execute();
      return rows.map(toBuild);
    },
    async snapshot(buildId) {
      const rows = await db.selectFrom('app_version_files').select(['path', 'content_base64', 'executable']).where('version_id', '=', buildId).orderBy('path').execute();
      return rows.map((r) => ({ path: r.path, content: Buffer.from(r.content_base64, 'base64'), executable: Number(r.executable) === 1 }));
    },
    async dropSnapshot(buildId) {
      await db.deleteFrom('app_version_files').where('version_id', '=', buildId).execute();
    },
    async keptImageRefs(perApp) {
      const rows = await db
        .selectFrom('app_builds')
        .innerJoin('apps', 'apps.id', 'app_builds.app_id')
        .select(['app_builds.app_id as appId', 'app_builds.image_ref as imageRef'])
        .where('app_builds.status', '=', 'succeeded')
        .where('apps.deleted_at', 'is', null)
        .orderBy('app_builds.id', 'desc')
        .execute();
      const counts = new Map<string, number>();
      const kept = new Set<string>();
      for (const row of rows) {
        const count = counts.get(row.appId) ?? 0;
        if (count >= perApp || row.imageRef === null) continue;
        counts.set(row.appId, count + 1);
        kept.add(row.imageRef);
      }
      return kept;
    },
    async keptImageRefsOf(appIds, perApp) {
      const kept = new Set<string>();
      for (const appId of new Set(appIds)) {
        // Walks the app's (app_id, id) index from its newest build: never the other apps' rows.
        const rows = await db
          .selectFrom('app_builds')
          .innerJoin('apps', 'apps.id', 'app_builds.app_id')
          .select('app_builds.image_ref as imageRef')
          .where('app_builds.app_id', '=', appId)
          .where('app_builds.status', '=', 'succeeded')
          .where('app_builds.image_ref', 'is not', null)
          .where('apps.deleted_at', 'is', null)
          .orderBy('app_builds.id', 'desc')
          .limit(perApp)
          .execute();
        for (const row of rows) if (row.imageRef !== null) kept.add(row.imageRef);
      }
      return kept;
    },
    async appIdsUsing(imageRefs) {
      if (imageRefs.length === 0) return [];
      const rows = await db.selectFrom('app_builds').select('app_id').distinct().where('image_ref', 'in', [...imageRefs]).execute();
      return rows.map((row) => row.app_id);
    },
  };
}
