// Preview sessions (spec 003): the rows the core writes before each change it describes.
import type { Kysely, Selectable, Updateable } from 'kysely';
import type { PreviewSessionRepository } from '../../core/ports/store.js';
import { livePreviewStatuses } from '../../domain/preview-session.js';
import type { PreviewSession, PreviewStatus } from '../../domain/preview-session.js';
import { fromIso, fromIsoOrNull, toIso, toIsoOrNull } from '../row-values.js';
import type { Database, PreviewSessionRow } from '../schema.js';

function parseMetadata(text: string): Record<string, string> {
  try {
    const parsed = JSON.parse(text) as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, string>) : {};
  } catch {
    return {}; // written by this repository only: unreadable means empty
  }
}

const toSession = (row: Selectable<PreviewSessionRow>): PreviewSession => ({
  id: row.id,
  workspaceId: row.workspace_id,
  appId: row.app_id,
  versionId: row.version_id,
  status: row.status as PreviewStatus,
  error: row.error,
  metadata: parseMetadata(row.metadata),
  lastHeartbeatAt: fromIso(row.last_heartbeat_at),
  createdBy: row.created_by,
  startedAt: fromIso(row.started_at),
  readyAt: fromIsoOrNull(row.ready_at),
  stoppedAt: fromIsoOrNull(row.stopped_at),
  createdAt: fromIso(row.created_at),
  updatedAt: fromIso(row.updated_at),
});

const live = [...livePreviewStatuses];

export function previewSessionRepository(db: Kysely<Database>): PreviewSessionRepository {
  return {
    async create(session) {
      await db
        .insertInto('preview_sessions')
        .values({
          id: session.id,
          workspace_id: session.workspaceId,
          app_id: session.appId,
          version_id: session.versionId,
          status: session.status,
          error: session.error,
          metadata: JSON.stringify(session.metadata),
          last_heartbeat_at: toIso(session.lastHeartbeatAt),
          created_by: session.createdBy,
          started_at: toIso(session.startedAt),
          ready_at: toIsoOrNull(session.readyAt),
          stopped_at: toIsoOrNull(session.stoppedAt),
          created_at: toIso(session.createdAt),
          updated_at: toIso(session.updatedAt),
        })
        .execute();
    },
    async byId(sessionId) {
      const row = await db.selectFrom('preview_sessions').selectAll().where('id', '=', sessionId).executeTakeFirst();
      return row ? toSession(row) : null;
    },
    async liveOfVersion(versionId) {
      const row = await db.selectFrom('preview_sessions').selectAll().where('version_id', '=', versionId).where('status', 'in', live).orderBy('id', 'desc').executeTakeFirst();
      return row ? toSession(row) : null;
    },
    async countLive(workspaceId) {
      const row = await db.selectFrom('preview_sessions').select((eb) => eb.fn.countAll<number | string>().as('n')).where('workspace_id', '=', workspaceId).where('status', 'in', live).executeTakeFirst();
      return Number(row?.n ?? 0);
    },
    async listLive() {
      return (await db.selectFrom('preview_sessions').selectAll().where('status', 'in', live).orderBy('id').execute()).map(toSession);
    },
    async update(sessionId, changes, at) {
      const values: Updateable<PreviewSessionRow> = { updated_at: toIso(at) };
      if (changes.status !== undefined) values.status = changes.status;
      if (changes.error !== undefined) values.error = changes.error;
      if (changes.metadata !== undefined) values.metadata = JSON.stringify(changes.metadata);
      if (changes.lastHeartbeatAt !== undefined) values.last_heartbeat_at = toIso(changes.lastHeartbeatAt);
      if (changes.readyAt !== undefined) values.ready_at = toIsoOrNull(changes.readyAt);
      if (changes.stoppedAt !== undefined) values.stopped_at = toIsoOrNull(changes.stoppedAt);
      // An ended session stays ended: a late step of its start must not bring it back.
      const result = await db.updateTable('preview_sessions').set(values).where('id', '=', sessionId).where('status', 'in', live).executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
  };
}
