// Revisions: numbered per app, immutable but for status; their env snapshot is sealed.
import type { Kysely, Selectable } from 'kysely';
import type { SecretBox } from '../../core/ports/secret-box.js';
import type { RevisionRepository } from '../../core/ports/store.js';
import type { Revision, RevisionConfig, RevisionProvenance, RevisionStatus } from '../../domain/revision.js';
import { fromIso, fromIsoOrNull, isUniqueViolation, toIso, toIsoOrNull } from '../row-values.js';
import type { Database, RevisionRow } from '../schema.js';

export function revisionRepository(db: Kysely<Database>, box: SecretBox): RevisionRepository {
  const toRevision = (row: Selectable<RevisionRow>): Revision => ({
    id: row.id,
    appId: row.app_id,
    name: row.name,
    sequence: row.sequence,
    imageRef: row.image_ref,
    artifactDir: row.artifact_dir,
    artifactKind: row.artifact_kind === 'image' ? 'image' : 'tree',
    config: JSON.parse(row.config) as RevisionConfig,
    env: JSON.parse(box.open(row.env_sealed)) as Record<string, string>,
    status: row.status as RevisionStatus,
    statusMessage: row.status_message,
    createdAt: fromIso(row.created_at),
    lastServedAt: fromIsoOrNull(row.last_served_at),
    provenance: row.provenance ? (JSON.parse(row.provenance) as RevisionProvenance) : null,
  });

  return {
    async create(revision, nameFor) {
      // Two deploys of one app may race for the next number: the unique (app, sequence) decides, retry.
      for (let attempt = 0; attempt < 5; attempt++) {
        const last = await db
          .selectFrom('revisions')
          .select((eb) => eb.fn.max('sequence').as('n'))
          .where('app_id', '=', revision.appId)
          .executeTakeFirst();
        const sequence = Number(last?.n ?? 0) + 1;
        const full: Revision = { ...revision, sequence, name: nameFor(sequence) };
        try {
          await db
            .insertInto('revisions')
            .values({
              id: full.id,
              app_id: full.appId,
              name: full.name,
              sequence,
              image_ref: full.imageRef,
              artifact_dir: full.artifactDir,
              artifact_kind: full.artifactKind,
              config: JSON.stringify(full.config),
              env_sealed: box.seal(JSON.stringify(full.env)),
              status: full.status,
              status_message: full.statusMessage,
              created_at: toIso(full.createdAt),
              last_served_at: toIsoOrNull(full.lastServedAt),
              provenance: full.provenance ? JSON.stringify(full.provenance) : null,
            })
            .execute();
          return full;
        } catch (error) {
          if (!isUniqueViolation(error)) throw error;
        }
      }
      throw new Error('could not allocate a revision number');
    },
    async byId(revisionId) {
      const row = await db.selectFrom('revisions').selectAll().where('id', '=', revisionId).executeTakeFirst();
      return row ? toRevision(row) : null;
    },
    async find(appId, nameOrId) {
      const row = await db
        .selectFrom('revisions')
        .selectAll()
        .where('app_id', '=', appId)
        .where((eb) => eb.or([eb('name', '=', nameOrId), eb('id', '=', nameOrId)]))
        .executeTakeFirst();
      return row ? toRevision(row) : null;
    },
    async byName(name) {
      const row = await db.selectFrom('revisions').selectAll().where('name', '=', name).orderBy('id', 'desc').executeTakeFirst();
      return row ? toRevision(row) : null;
    },
    async list(appId) {
      const rows = await db.selectFrom('revisions').selectAll().where('app_id', '=', appId).orderBy('sequence', 'desc').execute();
      return rows.map(toRevision);
    },
    async appIdsUsing(imageRefs) {
      if (imageRefs.length === 0) return [];
      const rows = await db.selectFrom('revisions').select('app_id').distinct().where('image_ref', 'in', [...imageRefs]).execute();
      return rows.map((row) => row.app_id);
    },
    async setStatus(revisionId, status, message) {
      await db.updateTable('revisions').set({ status, status_message: message }).where('id', '=', revisionId).execute();
    },
    async listForReconcile(since) {
      const rows = await db
        .selectFrom('revisions')
        .selectAll()
        .where((eb) =>
          eb.or([eb('last_served_at', '>', toIso(since)), eb('id', 'in', db.selectFrom('traffic_splits').select('revision_id'))]),
        )
        .execute();
      return rows.map(toRevision);
    },
    async markServed(revisionIds, at) {
      if (revisionIds.length === 0) return;
      await db.updateTable('revisions').set({ last_served_at: toIso(at) }).where('id', 'in', [...revisionIds]).execute();
    },
  };
}
