// Files of app versions (spec 003). A directory is the prefix of its files (`a/` holds `a/x`), so
// a range on the primary key lists it: every path under `a/` sorts between `a/` and `a0`
// ('0' follows '/'). Each write checks its bounds and clashes inside its own transaction.
import type { Kysely, Transaction } from 'kysely';
import type { AppVersionFileRepository } from '../../core/ports/store.js';
import { DomainError } from '../../domain/errors.js';
import { fromIso, toIso } from '../row-values.js';
import type { Database } from '../schema.js';

const under = (dir: string) => ({ from: `${dir}/`, to: `${dir}0` });

/** `a/b/c` → `a`, `a/b`. */
const ancestors = (path: string) => path.split('/').slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join('/'));

async function clash(trx: Transaction<Database>, versionId: string, path: string): Promise<string | null> {
  const parents = ancestors(path);
  if (parents.length > 0) {
    const file = await trx.selectFrom('app_version_files').select('path').where('version_id', '=', versionId).where('path', 'in', parents).executeTakeFirst();
    if (file) return `${file.path} is a file, so it cannot hold ${path}`;
  }
  const range = under(path);
  const inside = await trx.selectFrom('app_version_files').select('path').where('version_id', '=', versionId).where('path', '>=', range.from).where('path', '<', range.to).executeTakeFirst();
  return inside ? `${path} is a directory` : null;
}

export function versionFileRepository(db: Kysely<Database>): AppVersionFileRepository {
  return {
    async list(versionId, dir) {
      let query = db.selectFrom('app_version_files').select(['path', 'size', 'updated_at', 'executable']).where('version_id', '=', versionId);
      if (dir !== '') query = query.where('path', '>=', under(dir).from).where('path', '<', under(dir).to);
      const rows = await query.orderBy('path').execute();
      return rows.map((r) => ({ path: r.path, size: r.size, updatedAt: fromIso(r.updated_at), executable: Number(r.executable) === 1 }));
    },
    async read(versionId, path) {
      const row = await db.selectFrom('app_version_files').selectAll().where('version_id', '=', versionId).where('path', '=', path).executeTakeFirst();
      return row ? { path: row.path, size: row.size, updatedAt: fromIso(row.updated_at), executable: Number(row.executable) === 1, content: Buffer.from(row.content_base64, 'base64') } : null;
    },
    async write(file) {
      await db.transaction().execute(async (trx) => {
        const existing = await trx.selectFrom('app_version_files').select('size').where('version_id', '=', file.versionId).where('path', '=', file.path).executeTakeFirst();
        if (file.mode === 'create' && existing) throw new DomainError('conflict', `${file.path} already exists: update it with PATCH`);
        if (file.mode === 'update' && !existing) throw new DomainError('not_found', `${file.path} not found: create it with POST`);
        if (!existing) {
          const problem = await clash(trx, file.versionId, file.path);
          if (problem) throw new DomainError('conflict', problem);
        }
        const totals = await trx
          .selectFrom('app_version_files')
          .select((eb) => [eb.fn.countAll<number | string>().as('files'), eb.fn.coalesce(eb.fn.sum<number | string>('size'), eb.val(0)).as('bytes')])
          .where('version_id', '=', file.versionId)
          .executeTakeFirstOrThrow();
        const files = Number(totals.files) + (existing ? 0 : 1);
        const bytes = Number(totals.bytes) - (existing?.size ?? 0) + file.content.length;
        if (files > file.limits.maxFiles) throw new DomainError('invalid', `An app version holds at most ${file.limits.maxFiles} files (BERTH_VERSION_MAX_FILES)`);
        if (bytes > file.limits.maxTreeBytes) throw new DomainError('invalid', `An app version holds at most ${file.limits.maxTreeBytes} bytes in all (BERTH_VERSION_MAX_TREE_MB)`);
        const values = {
          content_base64: file.content.toString('base64'),
          size: file.content.length,
          updated_at: toIso(file.at),
          ...(file.executable === null ? {} : { executable: file.executable ? 1 : 0 }),
        };
        if (existing) await trx.updateTable('app_version_files').set(values).where('version_id', '=', file.versionId).where('path', '=', file.path).execute();
        else await trx.insertInto('app_version_files').values({ version_id: file.versionId, path: file.path, ...values }).execute();
        await trx.updateTable('app_versions').set({ updated_at: toIso(file.at) }).where('id', '=', file.versionId).execute();
      });
    },
    async delete(versionId, path) {
      const result = await db.deleteFrom('app_version_files').where('version_id', '=', versionId).where('path', '=', path).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async copy(from, to, at) {
      await db.transaction().execute(async (trx) => {
        const rows = await trx.selectFrom('app_version_files').selectAll().where('version_id', '=', from).execute();
        for (const row of rows) await trx.insertInto('app_version_files').values({ ...row, version_id: to, updated_at: toIso(at) }).execute();
      });
    },
  };
}
