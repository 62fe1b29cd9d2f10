// Creating an app as spec 003 does: a `draft` that serves nothing yet, with an optional handle
// (else one derived from the name: `-2`, `-3`… when taken) and an empty app version created with
// it as its default, ready for files.
import { defaultSettings } from '../../domain/app.js';
import type { App, Visibility } from '../../domain/app.js';
import type { AppVersion } from '../../domain/app-version.js';
import { slugFromName } from '../../domain/slug.js';
import type { Principal } from '../../domain/workspace.js';
import { recordAudit } from '../audit/record-audit.js';
import { authorize } from '../authorize.js';
import type { Deps } from '../deps.js';
import { mergeAppSettings } from './app-input.js';
import { createWithFreeSlug } from './launch-app.js';
import type { NewAppFields } from './launch-app.js';

export interface CreateDraftInput {
  actor: Principal;
  workspaceId: string;
  name: string;
  description?: string;
  /** The slug; absent: derived from the name. */
  slug?: string;
  visibility?: Visibility;
}

export async function createDraftApp(deps: Deps, input: CreateDraftInput): Promise<App> {
  authorize(input.actor, input.workspaceId, 'apps:write');
  const settings = mergeAppSettings(defaultSettings(input.name, input.slug ?? slugFromName(input.name)), {
    description: input.description,
    visibility: input.visibility,
  });
  const fields: NewAppFields = {
    ...settings,
    sourceType: 'UPLOAD',
    gitProvider: null,
    imageRef: null,
    imageRegistryAuthRef: null,
    replicas: null,
    defaultVersionId: null,
    nodeVersion: null,
  };
  const app = input.slug === undefined ? await createWithFreeSlug(deps, input, fields) : await createWithSlug(deps, input, fields);
  const now = deps.clock.now();
  const version: AppVersion = { id: deps.ids('appVersion'), appId: app.id, workspaceId: app.workspaceId, copiedFrom: null, createdBy: input.actor.keyId, createdAt: now, updatedAt: now };
  await deps.store.appVersions.create(version);
  const withVersion: App = { ...app, defaultVersionId: version.id };
  await deps.store.apps.update(withVersion);
  return withVersion;
}

/** A handle the caller chose: taken is a conflict, not a reason to pick another. */
async function createWithSlug(deps: Deps, input: CreateDraftInput, fields: NewAppFields): Promise<App> {
  const now = deps.clock.now();
  const app: App = { ...fields, id: deps.ids('app'), workspaceId: input.workspaceId, status: 'stopped', createdBy: input.actor.keyId, createdAt: now, updatedAt: now, deletedAt: null };
  await deps.store.apps.create(app);
  await recordAudit(deps, { actor: input.actor, workspaceId: input.workspaceId, action: 'app.create', targetType: 'app', targetId: app.id, detail: { slug: app.slug } });
  return app;
}
