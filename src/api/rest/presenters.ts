// Core values in the REST dialect's (spec 003) words. Secret env values are masked here.
import type { App } from '../../domain/app.js';
import { lifecycleOf, reachOf } from '../../domain/app-query.js';
import type { EnvVar } from '../../domain/env-var-record.js';
import type { PreviewSession } from '../../domain/preview-session.js';
import { secretMask } from '../apps-v1/presenters.js';

export function presentApp(app: App, env: readonly EnvVar[]) {
  return {
    id: app.id,
    workspaceId: app.workspaceId,
    name: app.name,
    description: app.description,
    handle: app.slug,
    defaultVersionId: app.defaultVersionId,
    status: lifecycleOf(app.status),
    // Nothing routes to a worker or cron app, public or not: the spec's boolean can only say false.
    publicAccess: reachOf(app) === 'public',
    pagesProjectId: null,
    apiKeyId: app.createdBy,
    config: { nodeVersion: app.nodeVersion, env: Object.fromEntries(env.map((v) => [v.key, v.isSecret ? secretMask : v.value])) },
    createdBy: app.createdBy,
    deletedAt: app.deletedAt ? app.deletedAt.toISOString() : null,
    retentionTier: null,
    createdAt: app.createdAt.toISOString(),
    updatedAt: app.updatedAt.toISOString(),
  };
}

export function presentPreview(session: PreviewSession, url: string) {
  return {
    id: session.id,
    workspaceId: session.workspaceId,
    appId: session.appId,
    versionId: session.versionId,
    status: session.status,
    previewUrl: url,
    error: session.error,
    metadata: session.metadata,
    lastHeartbeatAt: session.lastHeartbeatAt.toISOString(),
    createdBy: session.createdBy,
    startedAt: session.startedAt.toISOString(),
    readyAt: session.readyAt ? session.readyAt.toISOString() : null,
    stoppedAt: session.stoppedAt ? session.stoppedAt.toISOString() : null,
    createdAt: session.createdAt.toISOString(),
  };
}
