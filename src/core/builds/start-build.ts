// Builds of app versions (Berth's addition to spec 003, which deploys builds but names no way
// to make one): the version's files are snapshotted now, in the build's own transaction, and the
// build queue turns the snapshot into an artifact. Nothing is rolled out.
import type { AppBuild } from '../../domain/app-build.js';
import type { App } from '../../domain/app.js';
import { DomainError, refuse } from '../../domain/errors.js';
import { say, wire } from '../../domain/wording.js';
import type { Principal } from '../../domain/workspace.js';
import { findApp } from '../apps/find-app.js';
import type { AppRef } from '../apps/find-app.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Deps } from '../deps.js';
import { findVersion } from '../versions/find-version.js';
import type { VersionRef } from '../versions/find-version.js';

type BuildDeps = Pick<Deps, 'store' | 'clock' | 'ids' | 'buildQueue'>;

/** A build of the version named, or else of the app's default version. */
export async function startBuild(deps: BuildDeps, input: AppRef & { versionId?: string }): Promise<AppBuild> {
  const app = await findApp(deps, input, 'deploy:write');
  const versionId = input.versionId ?? app.defaultVersionId;
  if (versionId === null) throw new DomainError('invalid', say`This app has no default version: name one with ${wire('appVersionId')}`);
  const version = await deps.store.appVersions.byId(versionId);
  if (version?.appId !== app.id) refuse([say`${wire('appVersionId')} "${versionId}" is not a version of this app`]);
  return queueAppBuild(deps, { app, versionId, actor: input.actor });
}

export async function buildVersion(deps: BuildDeps, input: VersionRef): Promise<AppBuild> {
  const { version, app } = await findVersion(deps, input, 'deploy:write');
  return queueAppBuild(deps, { app, versionId: version.id, actor: input.actor });
}

async function queueAppBuild(deps: BuildDeps, input: { app: App; versionId: string; actor: Principal }): Promise<AppBuild> {
  if ((await deps.store.versionFiles.list(input.versionId, '')).length === 0) {
    throw new DomainError('invalid', `App version ${input.versionId} has no files to build: write some first`);
  }
  const now = deps.clock.now();
  const build = await deps.store.appBuilds.create({
    id: deps.ids('build'),
    appId: input.app.id,
    workspaceId: input.app.workspaceId,
    versionId: input.versionId,
    status: 'queued',
    error: null,
    sourceDigest: null,
    fileCount: 0,
    imageRef: null,
    command: null,
    buildpack: null,
    createdBy: input.actor.keyId,
    createdAt: now,
    startedAt: null,
    finishedAt: null,
  });
  await recordAudit(deps, {
    actor: input.actor,
    workspaceId: input.app.workspaceId,
    appId: input.app.id,
    action: 'build.create',
    targetType: 'build',
    targetId: build.id,
    detail: { appId: input.app.id, versionId: input.versionId, files: build.fileCount },
  });
  deps.buildQueue.kick();
  return build;
}
