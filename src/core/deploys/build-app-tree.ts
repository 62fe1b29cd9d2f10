// One app's tree built with its limits, build command and build-time env, as a deployment's build
// and an app build (spec 003) both do; the buildpack is recorded as soon as the plan is known.
import type { App } from '../../domain/app.js';
import type { Deps } from '../deps.js';
import type { BuildLog, BuiltArtifact, FetchedSource } from '../ports/builds.js';
import { buildEnv } from '../env-vars/app-env.js';
import { appLimits } from './roll-out.js';

export interface BuildAppTreeInput {
  /** The job's id: a deployment's or an app build's (names its scratch space). */
  jobId: string;
  app: App;
  tree: FetchedSource;
  dockerfilePath: string | null;
  log: BuildLog;
  signal: AbortSignal;
  recordBuildpack: (buildpack: string) => Promise<unknown>;
}

export async function buildAppTree(deps: Pick<Deps, 'builder' | 'store'>, input: BuildAppTreeInput): Promise<BuiltArtifact> {
  const { app } = input;
  const recorded: Promise<unknown>[] = [];
  const artifact = await deps.builder.build({
    deploymentId: input.jobId,
    appId: app.id,
    limits: appLimits(app),
    tree: input.tree,
    dockerfilePath: input.dockerfilePath,
    buildCommand: app.buildCommand,
    releaseCommand: app.releaseCommand,
    env: await buildEnv(deps, app.id),
    log: input.log,
    signal: input.signal,
    onPlan: (buildpack) => recorded.push(input.recordBuildpack(buildpack)),
  });
  await Promise.all(recorded);
  return artifact;
}
