// Workspaces: the tenant boundary.
import type { Kysely } from 'kysely';
import type { WorkspaceRepository } from '../../core/ports/store.js';
import { fromIso, toIso } from '../row-values.js';
import type { Database } from '../schema.js';

export function workspaceRepository(db: Kysely<Database>): WorkspaceRepository {
  return {
    async create(workspace) {
      await db
        .insertInto('workspaces')
        .values({ id: workspace.id, name: workspace.name, created_at: toIso(workspace.createdAt) })
        .execute();
    },
    async byId(id) {
      const row = await db.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? { id: row.id, name: row.name, createdAt: fromIso(row.created_at) } : null;
    },
    async count() {
      const row = await db.selectFrom('workspaces').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}
