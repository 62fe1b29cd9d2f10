// Apps' persistent volumes (the bytes live with the runtime; this is the record).
import type { Kysely } from 'kysely';
import type { VolumeRepository } from '../../core/ports/databases.js';
import { conflict } from '../../domain/errors.js';
import { fromFlag, fromIso, isUniqueViolation, toFlag, toIso } from '../row-values.js';
import type { Database } from '../schema.js';

export function volumeRepository(db: Kysely<Database>): VolumeRepository {
  return {
    async create(volume) {
      try {
        await db
          .insertInto('app_volumes')
          .values({
            id: volume.id,
            app_id: volume.appId,
            name: volume.name,
            mount_path: volume.mountPath,
            size_mi: volume.sizeMi,
            single_writer: toFlag(volume.singleWriter),
            created_at: toIso(volume.createdAt),
          })
          .execute();
      } catch (error) {
        if (isUniqueViolation(error)) conflict(`The app already has a volume named "${volume.name}"`);
        throw error;
      }
    },
    async list(appId) {
      const rows = await db.selectFrom('app_volumes').selectAll().where('app_id', '=', appId).orderBy('created_at').orderBy('id').execute();
      return rows.map((row) => ({
        id: row.id,
        appId: row.app_id,
        name: row.name,
        mountPath: row.mount_path,
        sizeMi: row.size_mi,
        singleWriter: fromFlag(row.single_writer),
        createdAt: fromIso(row.created_at),
      }));
    },
  };
}
