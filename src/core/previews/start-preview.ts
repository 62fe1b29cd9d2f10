// Starts or wakes a preview session of an app version (spec 003): a session of that version
// that has not ended is reused (and kept alive); otherwise a new one starts, within the
// workspace's limit of sessions running at once.
import { DomainError } from '../../domain/errors.js';
import type { PreviewSession } from '../../domain/preview-session.js';
import type { Principal } from '../../domain/workspace.js';
import type { Deps } from '../deps.js';
import { findVersion } from '../versions/find-version.js';
import { runPreview } from './run-preview.js';

export interface StartPreviewInput {
  actor: Principal;
  workspaceId: string;
  versionId: string;
}

export async function startPreview(deps: Pick<Deps, 'store' | 'clock' | 'ids' | 'previews' | 'orchestrator' | 'settings'>, input: StartPreviewInput): Promise<PreviewSession> {
  const { version, app } = await findVersion(deps, input, 'apps:write');
  const now = deps.clock.now();
  const warm = await deps.store.previewSessions.liveOfVersion(version.id);
  if (warm && (await deps.store.previewSessions.update(warm.id, { lastHeartbeatAt: now }, now))) return { ...warm, lastHeartbeatAt: now, updatedAt: now };
  const max = deps.settings.previews.maxPerWorkspace;
  if ((await deps.store.previewSessions.countLive(version.workspaceId)) >= max) {
    throw new DomainError(
      'conflict',
      `This workspace already runs ${max} preview session${max === 1 ? '' : 's'}, the most it may run at once (BERTH_PREVIEW_MAX_PER_WORKSPACE): stop one, or let one go idle, and try again`,
    );
  }
  const session: PreviewSession = {
    id: deps.ids('previewSession'),
    workspaceId: version.workspaceId,
    appId: app.id,
    versionId: version.id,
    status: 'hydrating',
    error: null,
    metadata: {},
    lastHeartbeatAt: now,
    createdBy: input.actor.keyId,
    startedAt: now,
    readyAt: null,
    stoppedAt: null,
    createdAt: now,
    updatedAt: now,
  };
  await deps.store.previewSessions.create(session);
  void runPreview(deps, session, app);
  return session;
}
