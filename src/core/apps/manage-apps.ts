// Creating, reading, changing and deleting apps.
import { defaultSettings, settingsOf } from '../../domain/app.js';
import type { App, AppStatus, AppType } from '../../domain/app.js';
import { nextRunOf } from '../../domain/app-kind.js';
import { gitProviderOf } from '../../domain/git-url.js';
import { appDeletedReason } from '../../domain/deployment.js';
import type { Deployment } from '../../domain/deployment.js';
import { DomainError, notFound } from '../../domain/errors.js';
import type { Principal } from '../../domain/workspace.js';
import { recordAudit } from '../audit/record-audit.js';
import { cancelQueued } from '../deploys/cancel-deployment.js';
import { pruneApp } from '../deploys/prune-app.js';
import { authorize } from '../authorize.js';
import { stopAppPreviews } from '../previews/manage-previews.js';
import type { Deps } from '../deps.js';
import { mergeAppSettings } from './app-input.js';
import type { AppFields } from './app-input.js';
import { refuseReplicasOfPinned } from './pin-one-replica.js';
import { findApp } from './find-app.js';
import type { AppRef } from './find-app.js';

export interface CreateAppInput extends AppFields {
  actor: Principal;
  workspaceId: string;
  name: string;
  slug: string;
}

export async function createApp(deps: Deps, input: CreateAppInput): Promise<App> {
  authorize(input.actor, input.workspaceId, 'apps:write');
  const settings = mergeAppSettings(defaultSettings(input.name, input.slug), input, { allowHttpGit: deps.settings.builds.allowPrivateNetworks });
  const now = deps.clock.now();
  const app: App = {
    ...settings,
    id: deps.ids('app'),
    workspaceId: input.workspaceId,
    status: 'stopped',
    sourceType: settings.gitRepoUrl ? 'GIT' : 'UPLOAD',
    gitProvider: gitProviderOf(settings.gitRepoUrl),
    imageRef: null,
    imageRegistryAuthRef: null,
    replicas: null,
    defaultVersionId: null,
    nodeVersion: null,
    createdBy: input.actor.keyId,
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
  };
  await deps.store.apps.create(app);
  await recordAudit(deps, {
    actor: input.actor,
    workspaceId: input.workspaceId,
    action: 'app.create',
    targetType: 'app',
    targetId: app.id,
    detail: { slug: app.slug },
  });
  return app;
}

/** Pages of lists, unless the caller asks otherwise. */
export const defaultPageSize = 20;
export const maxPageSize = 100;

export interface ListAppsInput {
  actor: Principal;
  workspaceId: string;
  /** Default 1. */
  page?: number;
  /** Default defaultPageSize. */
  limit?: number;
  type?: AppType;
  status?: AppStatus;
  search?: string;
}

export async function listApps(deps: Pick<Deps, 'store'>, input: ListAppsInput) {
  authorize(input.actor, input.workspaceId, 'apps:read');
  const page = input.page ?? 1;
  const limit = input.limit ?? defaultPageSize;
  if (!Number.isInteger(page) || page < 1) throw new DomainError('invalid', 'page must be an integer >= 1');
  if (!Number.isInteger(limit) || limit < 1 || limit > maxPageSize) {
    throw new DomainError('invalid', `limit must be an integer between 1 and ${maxPageSize}`);
  }
  const search = input.search?.trim();
  const { apps, total } = await deps.store.apps.list({
    workspaceId: input.workspaceId,
    page,
    limit,
    ...(input.type ? { type: input.type } : {}),
    ...(input.status ? { status: input.status } : {}),
    ...(search ? { search } : {}),
  });
  return { apps, total, page, limit, totalPages: Math.ceil(total / limit) };
}

/** The app, its latest deployment and, for a cron app that runs, when its schedule next fires. */
export async function getApp(deps: Pick<Deps, 'store' | 'clock'>, input: AppRef): Promise<{ app: App; latestDeployment: Deployment | null; nextRunAt: Date | null }> {
  const app = await findApp(deps, input, 'apps:read');
  const [latestDeployment, splits] = await Promise.all([deps.store.deployments.latest(app.id), deps.store.traffic.get(app.id)]);
  return { app, latestDeployment, nextRunAt: nextRunOf(app, splits.some((s) => s.percent > 0), deps.clock.now()) };
}

/** Replicas the app runs per serving revision now (its scale, the autoscaler's choice, or minReplicas): an app view's `replicas`. */
export function replicasNow(deps: Pick<Deps, 'orchestrator'>, app: App): number {
  return deps.orchestrator.replicasFor(app);
}

export async function updateApp(deps: Deps, input: AppRef & { changes: AppFields }): Promise<App> {
  const app = await findApp(deps, input, 'apps:write');
  const settings = mergeAppSettings(settingsOf(app), input.changes, { allowHttpGit: deps.settings.builds.allowPrivateNetworks });
  await refuseReplicasOfPinned(deps, app.id, { maxReplicas: settings.maxReplicas });
  const gitChanged = settings.gitRepoUrl !== app.gitRepoUrl;
  const updated: App = {
    ...app,
    ...settings,
    sourceType: gitChanged && settings.gitRepoUrl ? 'GIT' : app.sourceType,
    gitProvider: gitChanged ? gitProviderOf(settings.gitRepoUrl) : app.gitProvider,
    updatedAt: deps.clock.now(),
  };
  await saveChangedApp(deps, input.actor, updated, Object.keys(input.changes).filter((key) => input.changes[key as keyof AppFields] !== undefined));
  return updated;
}

/** Stores a changed app, applies it at once and audits which fields changed (by name, never values). */
export async function saveChangedApp(deps: Deps, actor: Principal | null, app: App, fields: string[]): Promise<void> {
  await deps.store.apps.update(app);
  // Visibility, slug and scaling bounds shape the route table and the instances: apply them now.
  await deps.orchestrator.reconcileNow();
  await recordAudit(deps, { actor, workspaceId: app.workspaceId, action: 'app.update', targetType: 'app', targetId: app.id, detail: { fields } });
}

/**
 * Soft delete (or purge): the row first, then everything of the app stops: queued deployments
 * end cancelled, running ones (building, releasing, rolling out, rolling back, syncing env) are
 * aborted and end cancelled, and the reconciler stops every instance of every revision. A purge
 * also removes what is kept on disk for the app: volumes, caches, uploaded tarballs, and its
 * artifacts and trees (pruned while its rows still say what is its, before they go).
 */
export async function deleteApp(deps: Deps, input: AppRef & { permanent: boolean }): Promise<void> {
  authorize(input.actor, input.workspaceId, 'apps:write');
  // A soft-deleted app can still be purged (by id), so its retained data can be removed for good.
  const app = input.permanent
    ? await deps.store.apps.findForPurge(input.workspaceId, input.appId)
    : await deps.store.apps.find(input.workspaceId, input.appId);
  if (!app) return notFound('App');
  const now = deps.clock.now();
  if (!app.deletedAt) await deps.store.apps.softDelete(app.id, now);
  for (const deployment of await deps.store.deployments.listActive(app.id)) {
    if (deployment.status === 'queued') await cancelQueued(deps, { deploymentId: deployment.id, reason: appDeletedReason, at: now });
  }
  deps.signals.abortApp(app.id, 'app-deleted');
  await deps.orchestrator.reconcileNow();
  // Answered once its processes are gone, not while one that ignores SIGTERM still runs (up to
  // the drain timeout): after the answer nothing of the app runs. Its name is free at once, and
  // an app made with it meanwhile runs beside the exiting instances (they share no route or name).
  await deps.orchestrator.instancesGone(app.id);
  await stopAppPreviews(deps, app.id, 'Stopped: the app was deleted');
  if (input.permanent) {
    const [volumes, uploads] = await Promise.all([deps.store.volumes.list(app.id), deps.store.uploads.list(app.id)]);
    // Best effort: the purge goes on, and what a failed prune left goes when Berth next starts.
    await pruneApp(deps, { appId: app.id }).catch(() => undefined);
    await deps.store.apps.purge(app.id);
    for (const volume of volumes) await deps.volumes.remove(volume.id);
    for (const upload of uploads) await deps.builder.discardUpload(upload.id);
    await deps.builder.forgetApp(app.id);
  }
  await recordAudit(deps, {
    actor: input.actor,
    workspaceId: app.workspaceId,
    action: input.permanent ? 'app.purge' : 'app.delete',
    targetType: 'app',
    targetId: app.id,
    detail: { slug: app.slug },
  });
}

export async function appStats(deps: Pick<Deps, 'store'>, input: { actor: Principal; workspaceId: string }) {
  authorize(input.actor, input.workspaceId, 'apps:read');
  const counts = await deps.store.apps.countByStatus(input.workspaceId);
  const total = Object.values(counts).reduce((sum, n) => sum + (n ?? 0), 0);
  return { total, counts };
}
