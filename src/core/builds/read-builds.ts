// An app's builds of versions (spec 003): the list, one build, and its log (so far, or followed
// until the build ends, as a deployment's build log is).
import { terminalAppBuildStatuses } from '../../domain/app-build.js';
import type { AppBuild } from '../../domain/app-build.js';
import type { BuildLogLine } from '../../domain/build.js';
import { notFound, refuse } from '../../domain/errors.js';
import { say, wire } from '../../domain/wording.js';
import { findApp } from '../apps/find-app.js';
import type { AppRef } from '../apps/find-app.js';
import type { Deps } from '../deps.js';
import { followLog, storedAndUnflushed } from '../deploys/build-logs.js';

export const maxBuildsListed = 100;

export async function listAppBuilds(deps: Pick<Deps, 'store'>, input: AppRef & { versionId?: string; limit?: number }): Promise<AppBuild[]> {
  const app = await findApp(deps, input, 'deploy:read');
  if (input.versionId !== undefined) {
    const version = await deps.store.appVersions.byId(input.versionId);
    if (version?.appId !== app.id) refuse([say`${wire('appVersionId')} "${input.versionId}" is not a version of this app`]);
  }
  return deps.store.appBuilds.list(app.id, { ...(input.versionId !== undefined ? { versionId: input.versionId } : {}), limit: input.limit ?? maxBuildsListed });
}

export async function getAppBuild(deps: Pick<Deps, 'store'>, input: AppRef & { buildId: string }): Promise<AppBuild> {
  const app = await findApp(deps, input, 'deploy:read');
  const build = await deps.store.appBuilds.byId(input.buildId);
  return build?.appId === app.id ? build : notFound('Build');
}

export async function getAppBuildLog(deps: Pick<Deps, 'store' | 'appBuildLogs'>, input: AppRef & { buildId: string }): Promise<{ build: AppBuild; lines: string[] }> {
  const build = await getAppBuild(deps, input);
  return { build, lines: await storedAndUnflushed(deps.appBuildLogs, deps.store.appBuildLogs, build.id) };
}

export interface FollowAppBuildInput extends AppRef {
  buildId: string;
  /** Called once the caller may read the log, before any line (a refusal throws before it). */
  onStart?(build: AppBuild): void;
  onLine(line: BuildLogLine): void;
  signal: AbortSignal;
  pollMs?: number;
}

/** Every line so far, then each new one until the build ends or the signal aborts; resolves with the build as it is then. */
export async function followAppBuildLog(deps: Pick<Deps, 'store' | 'appBuildLogs'>, input: FollowAppBuildInput): Promise<AppBuild> {
  const build = await getAppBuild(deps, input);
  input.onStart?.(build);
  return followLog(
    {
      id: build.id,
      hub: deps.appBuildLogs,
      lines: deps.store.appBuildLogs,
      current: () => deps.store.appBuilds.byId(build.id),
      ended: (current) => terminalAppBuildStatuses.includes(current.status),
    },
    build,
    input,
  );
}
