// Upload slots: created by init, filled by the signed PUT, verified by complete.
import type { Kysely, Selectable, Updateable } from 'kysely';
import type { UploadRepository } from '../../core/ports/builds.js';
import type { UploadStatus } from '../../domain/build.js';
import { fromIso, toIso } from '../row-values.js';
import type { Database, UploadRow } from '../schema.js';

const toUpload = (row: Selectable<UploadRow>) => ({
  id: row.id,
  appId: row.app_id,
  workspaceId: row.workspace_id,
  tokenHash: row.token_hash,
  declaredSize: Number(row.declared_size),
  declaredSha256: row.declared_sha256,
  status: row.status as UploadStatus,
  sizeBytes: row.size_bytes === null ? null : Number(row.size_bytes),
  sha256: row.sha256,
  expiresAt: fromIso(row.expires_at),
  createdAt: fromIso(row.created_at),
});

export function uploadRepository(db: Kysely<Database>): UploadRepository {
  return {
    async create(u) {
      await db
        .insertInto('uploads')
        .values({
          id: u.id,
          app_id: u.appId,
          workspace_id: u.workspaceId,
          token_hash: u.tokenHash,
          declared_size: u.declaredSize,
          declared_sha256: u.declaredSha256,
          status: u.status,
          size_bytes: u.sizeBytes,
          sha256: u.sha256,
          expires_at: toIso(u.expiresAt),
          created_at: toIso(u.createdAt),
        })
        .execute();
    },
    async byId(uploadId) {
      const row = await db.selectFrom('uploads').selectAll().where('id', '=', uploadId).executeTakeFirst();
      return row ? toUpload(row) : null;
    },
    async latestComplete(appId) {
      const row = await db
        .selectFrom('uploads')
        .selectAll()
        .where('app_id', '=', appId)
        .where('status', '=', 'complete')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row ? toUpload(row) : null;
    },
    async list(appId) {
      const rows = await db.selectFrom('uploads').selectAll().where('app_id', '=', appId).orderBy('id', 'desc').execute();
      return rows.map(toUpload);
    },
    async byIds(uploadIds) {
      const rows: Selectable<UploadRow>[] = [];
      // In slices: SQLite caps the parameters of one statement.
      for (let i = 0; i < uploadIds.length; i += 500) {
        rows.push(...(await db.selectFrom('uploads').selectAll().where('id', 'in', uploadIds.slice(i, i + 500)).execute()));
      }
      return rows.map(toUpload);
    },
    async update(uploadId, c) {
      const set: Updateable<UploadRow> = {};
      if (c.status !== undefined) set.status = c.status;
      if (c.sizeBytes !== undefined) set.size_bytes = c.sizeBytes;
      if (c.sha256 !== undefined) set.sha256 = c.sha256;
      if (Object.keys(set).length > 0) await db.updateTable('uploads').set(set).where('id', '=', uploadId).execute();
    },
  };
}
