// Read, keep alive and stop a preview session (spec 003); stop the idle ones, all of them when
// Berth stops, and, after a restart, mark the ones the previous run left as stopped.
import { idleSince } from '../../domain/preview-session.js';
import type { PreviewSession } from '../../domain/preview-session.js';
import type { Deps } from '../deps.js';
import { findPreview } from './find-preview.js';
import type { PreviewRef } from './find-preview.js';

type StopDeps = Pick<Deps, 'store' | 'clock' | 'previews' | 'orchestrator'>;

export async function getPreview(deps: Pick<Deps, 'store'>, input: PreviewRef): Promise<PreviewSession> {
  return findPreview(deps, input, 'apps:read');
}

/** Keeps a session that has not ended from being stopped as idle; an ended one says so by its status. */
export async function keepPreviewAlive(deps: Pick<Deps, 'store' | 'clock'>, input: PreviewRef): Promise<PreviewSession> {
  const session = await findPreview(deps, input, 'apps:read');
  const now = deps.clock.now();
  if (!(await deps.store.previewSessions.update(session.id, { lastHeartbeatAt: now }, now))) return session;
  return { ...session, lastHeartbeatAt: now, updatedAt: now };
}

function markStopped(deps: Pick<Deps, 'store' | 'clock'>, session: PreviewSession, reason: string | null): Promise<boolean> {
  const at = deps.clock.now();
  return deps.store.previewSessions.update(session.id, { status: 'stopped', stoppedAt: at, ...(reason === null ? {} : { error: reason }) }, at);
}

/** The row says `stopped` first, then the edge forgets its host, then the dev server goes. */
async function stop(deps: StopDeps, session: PreviewSession, reason: string | null): Promise<boolean> {
  const stopped = await markStopped(deps, session, reason);
  await deps.orchestrator.reconcileNow();
  await deps.previews.stop(session.id);
  return stopped;
}

export async function stopPreview(deps: StopDeps, input: PreviewRef): Promise<void> {
  const session = await findPreview(deps, input, 'apps:write');
  await stop(deps, session, null);
}

/** The app was deleted: its sessions end now, not at their idle timeout. */
export async function stopAppPreviews(deps: StopDeps, appId: string, reason: string): Promise<void> {
  for (const session of await deps.store.previewSessions.listLive()) {
    if (session.appId === appId) await stop(deps, session, reason);
  }
}

/**
 * Stops ready sessions that for `idleMs` got no keepalive and no traffic through the edge (a
 * request to their host, or an open WebSocket such as a dev server's hot reload); returns how many.
 */
export async function stopIdlePreviews(deps: StopDeps & Pick<Deps, 'settings' | 'previewTraffic'>): Promise<number> {
  const idleMs = deps.settings.previews.idleMs;
  const now = deps.clock.now().getTime();
  const cutoff = now - idleMs;
  const live = await deps.store.previewSessions.listLive();
  if (live.length === 0) return 0;
  const edgeIdle = await deps.previewTraffic.idleTimes();
  let count = 0;
  for (const session of live) {
    const since = idleSince(session);
    if (since === null || since.getTime() > cutoff) continue;
    const sinceTraffic = edgeIdle.get(session.id);
    if (sinceTraffic !== undefined && now - sinceTraffic > cutoff) continue;
    if (await stop(deps, session, `Stopped after ${idleMs} ms without a keepalive or a request to its preview URL (BERTH_PREVIEW_IDLE_MS)`)) count += 1;
  }
  return count;
}

/**
 * Berth is stopping, or starting after a run that did not stop them (its dev servers are gone:
 * the engine removes what a killed run left): every session that has not ended is stopped.
 */
export async function endAllPreviews(deps: Pick<Deps, 'store' | 'clock' | 'previews'>, reason: string): Promise<number> {
  let count = 0;
  for (const session of await deps.store.previewSessions.listLive()) {
    if (await markStopped(deps, session, reason)) count += 1;
    await deps.previews.stop(session.id);
  }
  return count;
}
