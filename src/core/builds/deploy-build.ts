// Deploying a build of an app version (spec 003): no build runs; the build's artifact gets a
// revision and rolls out like any deploy, and the app goes live when it is ready. Either the
// build named, or the newest successful build of the app's default version.
import type { App } from '../../domain/app.js';
import type { AppBuild } from '../../domain/app-build.js';
import { DomainError, notFound } from '../../domain/errors.js';
import type { Principal } from '../../domain/workspace.js';
import { findApp } from '../apps/find-app.js';
import type { AppRef } from '../apps/find-app.js';
import type { Deps } from '../deps.js';
import { deployStoredArtifact } from '../deploys/deploy-stored-artifact.js';
import { numbered } from '../deploys/numbered-deployments.js';
import type { NumberedDeployment } from '../deploys/numbered-deployments.js';

export async function deployAppBuild(deps: Deps, input: AppRef & { buildId: string }): Promise<NumberedDeployment> {
  const app = await findApp(deps, input, 'deploy:write');
  const build = await deps.store.appBuilds.byId(input.buildId);
  if (build?.appId !== app.id) return notFound('Build');
  return deployBuilt(deps, { app, build, actor: input.actor });
}

export async function deployLatestBuild(deps: Deps, input: AppRef): Promise<NumberedDeployment> {
  const app = await findApp(deps, input, 'deploy:write');
  const versionId = app.defaultVersionId;
  if (versionId === null) throw new DomainError('conflict', 'This app has no default version, so it has no build to deploy');
  const build = await deps.store.appBuilds.latestSucceeded(app.id, versionId);
  if (!build) {
    const [newest] = await deps.store.appBuilds.list(app.id, { versionId, limit: 1 });
    const waiting = newest && (newest.status === 'queued' || newest.status === 'running') ? `: build ${newest.id} is ${newest.status}, deploy once it succeeds` : ': build it first, then deploy';
    throw new DomainError('conflict', `No successful build of the default version ${versionId} yet${waiting}`);
  }
  return deployBuilt(deps, { app, build, actor: input.actor });
}

async function deployBuilt(deps: Deps, input: { app: App; build: AppBuild; actor: Principal }): Promise<NumberedDeployment> {
  const { build } = input;
  if (build.status !== 'succeeded' || build.imageRef === null || build.command === null) {
    throw new DomainError('conflict', `Build ${build.id} is ${build.status}: only a successful build can be deployed`);
  }
  const deployment = await deployStoredArtifact(deps, {
    app: input.app,
    artifact: { imageRef: build.imageRef, kind: 'tree', dir: '', command: build.command, exposedPort: null, label: `build ${build.id}` },
    provenance: { gitBranch: null, gitCommitSha: null, gitCommitMessage: null, buildpack: build.buildpack },
    triggerType: 'MANUAL',
    reusedRevision: null,
    rolledBackFrom: null,
    buildId: build.id,
    actor: input.actor,
    audit: { action: 'deploy.build', detail: { buildId: build.id, versionId: build.versionId } },
    start: 'after-earlier',
  });
  return numbered(deps, input.app, deployment);
}
