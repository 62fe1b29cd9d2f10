// A preview session (spec 003): a dev server of one app version, on a host of its own, woken on
// demand and stopped when idle. Spec 003 names four states; the core adds the two it implies
// (`failed` with `error`, `stopped` with `stoppedAt`).

export const previewStatuses = ['hydrating', 'installing', 'starting', 'ready', 'failed', 'stopped'] as const;
export type PreviewStatus = (typeof previewStatuses)[number];

/** States of a session that holds (or is getting) a dev server. */
export const livePreviewStatuses: readonly PreviewStatus[] = ['hydrating', 'installing', 'starting', 'ready'];

export const isLivePreview = (status: PreviewStatus): boolean => livePreviewStatuses.includes(status);

export interface PreviewSession {
  id: string;
  workspaceId: string;
  appId: string;
  versionId: string;
  status: PreviewStatus;
  /** Why it failed (or, for a stopped session, why it was stopped when not asked to). */
  error: string | null;
  /** What the engine found: the dev server's tool and command. */
  metadata: Record<string, string>;
  lastHeartbeatAt: Date;
  createdBy: string | null;
  startedAt: Date;
  readyAt: Date | null;
  stoppedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export type PreviewChanges = Partial<Pick<PreviewSession, 'status' | 'error' | 'metadata' | 'lastHeartbeatAt' | 'readyAt' | 'stoppedAt'>>;

/**
 * Since when a session counts as idle, or null while it is still getting ready: an install may
 * outlast the idle timeout, and a client cannot use a preview before it is ready.
 */
export function idleSince(session: Pick<PreviewSession, 'status' | 'lastHeartbeatAt' | 'readyAt'>): Date | null {
  if (session.status !== 'ready' || session.readyAt === null) return null;
  return session.readyAt > session.lastHeartbeatAt ? session.readyAt : session.lastHeartbeatAt;
}
