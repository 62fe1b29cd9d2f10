// Deployments whose artifact is an image, as the build queue runs them: an IMAGE source (nothing
// to build; the engine pulls the image with the workspace's credential the deploy names, and the
// tag is pinned to its digest) or a Dockerfile build through the engine. The revision runs those
// bytes, now and on any rollback to it.
import type { App } from '../../domain/app.js';
import type { BuildSource } from '../../domain/build.js';
import type { Deployment } from '../../domain/deployment.js';
import { DomainError } from '../../domain/errors.js';
import type { Deps } from '../deps.js';
import type { BuildLog, FetchedSource } from '../ports/builds.js';
import { namedCredential, registryLogin } from '../registry-credentials/manage-registry-credentials.js';
import { appLimits, rollOut } from './roll-out.js';
import { revisionAlreadyRunning } from './unchanged-image.js';

/** What an IMAGE deploy says when no engine is configured: how to enable one. */
export const noContainerEngine =
  'IMAGE sources and Dockerfile builds need a container engine: start Berth with BERTH_RUNTIME=docker (and DOCKER_HOST=unix:///path/to/docker.sock when the engine does not listen on /var/run/docker.sock)';

export interface DeployImageInput {
  deployment: Deployment;
  app: App;
  source: Extract<BuildSource, { type: 'IMAGE' }>;
  log: BuildLog;
  signal: AbortSignal;
}

export async function deployImage(deps: Deps, input: DeployImageInput): Promise<void> {
  const { deployment, app, source, log, signal } = input;
  if (!deps.images) throw new DomainError('invalid', noContainerEngine);
  const login = source.registryAuthRef ? await registryLogin(deps, await namedCredential(deps, app.workspaceId, source.registryAuthRef)) : null;
  const image = await deps.images.pin({ ref: source.imageRef, login, log, signal });
  deps.events.record({ appId: app.id, type: 'Normal', reason: 'Pulled', message: `Pulled ${source.imageRef} (${image.pinned})`, object: { kind: 'Deployment', name: deployment.id } });
  await deps.store.deployments.updateIfActive(deployment.id, { stage: 'building', imageRef: image.pinned, buildpack: 'image', builtAt: deps.clock.now() });
  if (signal.aborted) throw new DomainError('conflict', 'cancelled');
  const running = deployment.triggerType === 'ROLLBACK' ? null : await revisionAlreadyRunning(deps, app, { pinned: image.pinned, registryAuthRef: source.registryAuthRef });
  if (running) {
    log.line(`[deploy] ${source.imageRef} is what ${running.name} already runs (${image.pinned}): nothing to roll out`);
    await deps.store.deployments.updateIfActive(deployment.id, { status: 'succeeded', stage: 'done', revisionName: running.name, finishedAt: deps.clock.now() });
    return;
  }
  await rollOut(deps, {
    deploymentId: deployment.id,
    app,
    revisionDir: '',
    artifactKind: 'image',
    exposedPort: image.exposedPort,
    registryAuthRef: source.registryAuthRef,
    imageRef: image.pinned,
    command: [],
    provenance: { gitBranch: null, gitCommitSha: null, gitCommitMessage: null, buildpack: 'image' },
    triggerType: deployment.triggerType,
    rolledBackFrom: deployment.rolledBackFrom,
    log,
    signal,
  });
}

export interface DeployDockerfileInput {
  deployment: Deployment;
  app: App;
  /** The fetched source: the build context. */
  tree: FetchedSource;
  dockerfilePath: string;
  log: BuildLog;
  signal: AbortSignal;
}

export async function deployDockerfile(deps: Deps, input: DeployDockerfileInput): Promise<void> {
  const { deployment, app, tree, log, signal } = input;
  if (!deps.images) throw new DomainError('invalid', noContainerEngine);
  await deps.store.deployments.updateIfActive(deployment.id, { buildpack: 'dockerfile' });
  const image = await deps.images.build({
    appId: app.id,
    deploymentId: deployment.id,
    contextDir: tree.dir,
    dockerfilePath: input.dockerfilePath,
    // Build args end up in the image's history: secrets are not passed.
    buildArgs: Object.fromEntries((await deps.store.envVars.list(app.id)).filter((v) => !v.isSecret).map((v) => [v.key, v.value])),
    limits: appLimits(app),
    log,
    signal,
  });
  await deps.store.deployments.updateIfActive(deployment.id, { imageRef: image.pinned, builtAt: deps.clock.now() });
  deps.events.record({ appId: app.id, type: 'Normal', reason: 'Built', message: `Built ${image.pinned} (dockerfile)`, object: { kind: 'Deployment', name: deployment.id } });
  if (signal.aborted) throw new DomainError('conflict', 'cancelled');
  await rollOut(deps, {
    deploymentId: deployment.id,
    app,
    revisionDir: '',
    artifactKind: 'image',
    exposedPort: image.exposedPort,
    imageRef: image.pinned,
    command: [],
    provenance: { gitBranch: deployment.gitBranch, gitCommitSha: tree.gitCommitSha ?? deployment.gitCommitSha, gitCommitMessage: tree.gitCommitMessage ?? deployment.gitCommitMessage, buildpack: 'dockerfile' },
    triggerType: deployment.triggerType,
    rolledBackFrom: deployment.rolledBackFrom,
    log,
    signal,
  });
}
