// App versions (Berth's addition to spec 003, which names no way to make them): list an app's
// versions, and create one, empty or as a copy of another version of the same app.
import type { AppVersion } from '../../domain/app-version.js';
import { refuse } from '../../domain/errors.js';
import { say, wire } from '../../domain/wording.js';
import { findApp } from '../apps/find-app.js';
import type { AppRef } from '../apps/find-app.js';
import type { Deps } from '../deps.js';

export async function listVersions(deps: Pick<Deps, 'store'>, input: AppRef): Promise<AppVersion[]> {
  const app = await findApp(deps, input, 'apps:read');
  return deps.store.appVersions.list(app.id);
}

export async function createVersion(deps: Pick<Deps, 'store' | 'clock' | 'ids'>, input: AppRef & { fromVersionId?: string }): Promise<AppVersion> {
  const app = await findApp(deps, input, 'apps:write');
  const from = input.fromVersionId === undefined ? null : await deps.store.appVersions.byId(input.fromVersionId);
  if (input.fromVersionId !== undefined && from?.appId !== app.id) refuse([say`${wire('fromVersionId')} "${input.fromVersionId}" is not a version of this app`]);
  const now = deps.clock.now();
  const version: AppVersion = { id: deps.ids('appVersion'), appId: app.id, workspaceId: app.workspaceId, copiedFrom: from?.id ?? null, createdBy: input.actor.keyId, createdAt: now, updatedAt: now };
  await deps.store.appVersions.create(version);
  if (from) await deps.store.versionFiles.copy(from.id, version.id, now);
  return version;
}
