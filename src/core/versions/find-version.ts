// Loads an app version the caller may act on: its app is live and in the caller's workspace
// (others are indistinguishable from absent).
import type { AppVersion } from '../../domain/app-version.js';
import type { App } from '../../domain/app.js';
import { notFound } from '../../domain/errors.js';
import type { Scope } from '../../domain/scopes.js';
import type { Principal } from '../../domain/workspace.js';
import { authorize } from '../authorize.js';
import type { Deps } from '../deps.js';

export interface VersionRef {
  actor: Principal;
  workspaceId: string;
  versionId: string;
}

export async function findVersion(deps: Pick<Deps, 'store'>, ref: VersionRef, scope: Scope): Promise<{ version: AppVersion; app: App }> {
  authorize(ref.actor, ref.workspaceId, scope);
  const version = await deps.store.appVersions.byId(ref.versionId);
  const app = version && version.workspaceId === ref.workspaceId ? await deps.store.apps.byId(version.appId) : null;
  if (!version || !app) return notFound('App version');
  return { version, app };
}
