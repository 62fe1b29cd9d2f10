// Builds a fetched tree into an artifact by its detected plan: install (or restore the app's
// dependency cache), build (with the framework's own build cache), then store the tree
// content-addressed and check out the deployment's revision tree from it.
import path from 'node:path';
import type { BuildInput, BuiltArtifact } from '../../core/ports/builds.js';
import { artifactImageRef } from '../../domain/build.js';
import { DomainError } from '../../domain/errors.js';
import type { createBuildCacheStore } from './build-cache-store.js';
import { withBuildCommand } from './build-command.js';
import type { builderPaths } from './builder-paths.js';
import type { CacheEntry, DependencyCache } from './dependency-cache.js';
import { detectPlan, type BuildPlan } from './detect-plan.js';
import { pruneDevDependencies, type PruneDeps } from './prune-dev-dependencies.js';
import { runBuildStep, type StepContext } from './run-build-step.js';
import { startArgv, treeEnv } from './start-command.js';
import { staticTree } from './static-tree.js';
import { stepEnv } from './step-env.js';
import { warmUpTreeDigest } from './tree-digest.js';
import { treeProbe } from './tree-probe.js';
import { storeTree } from './tree-store.js';

export interface TreeBuildDeps extends PruneDeps {
  paths: ReturnType<typeof builderPaths>;
  step: StepContext;
  dependencies: DependencyCache;
  buildCaches: ReturnType<typeof createBuildCacheStore>;
  /** Runs `save` once the deployment is over (its rollout need not share the disk). */
  afterDeploy(deploymentId: string, save: () => void): void;
  /** The deployment uses this artifact until it is over (the collector spares it once this resolves). */
  uses(deploymentId: string, hex: string): Promise<void>;
}

/** Restores cached dependencies or installs them; returns the cache entry to save after the build, if any. */
async function install(deps: TreeBuildDeps, input: BuildInput, plan: BuildPlan, dir: string, env: Record<string, string>): Promise<CacheEntry | null> {
  if (!plan.install) return null;
  await deps.dependencies.settled(input.appId);
  const entry = await deps.dependencies.entry(plan, dir);
  if (entry && plan.cache && (await deps.dependencies.restore({ appId: input.appId, entry, dir }))) {
    input.log.line(`[cache] dependencies unchanged (${plan.cache.keyFiles.join(', ')} sha256 ${entry.key.slice(0, 12)}): install skipped`);
    return null;
  }
  await runBuildStep(deps.step, { appId: input.appId, limits: input.limits, name: 'install', dir, command: plan.install, env, log: input.log, signal: input.signal });
  return entry;
}

async function detect(input: BuildInput): Promise<BuildPlan> {
  const detected = await detectPlan(treeProbe(input.tree.dir), { dockerfilePath: input.dockerfilePath });
  if (!detected.ok) {
    input.log.line(`[plan] ${detected.reason}`);
    throw new DomainError('invalid', detected.reason);
  }
  const plan = withBuildCommand(detected.plan, input.buildCommand);
  for (const line of plan.summary) input.log.line(`[plan] ${line}`);
  input.onPlan?.(plan.buildpack);
  return plan;
}

/** Install and build, in the app's stage directory when its framework keeps a build cache. */
async function installAndBuild(deps: TreeBuildDeps, input: BuildInput, plan: BuildPlan, env: Record<string, string>): Promise<CacheEntry | null> {
  const { buildCache } = plan;
  const dir = input.tree.dir;
  const staged = buildCache ? await deps.buildCaches.stage(input.appId, dir) : { dir, unstage: async () => undefined };
  try {
    const cache = await install(deps, input, plan, staged.dir, env);
    if (plan.build) {
      if (buildCache) await deps.buildCaches.restore(input.appId, buildCache, staged.dir, input.log);
      await runBuildStep(deps.step, { appId: input.appId, limits: input.limits, name: 'build', dir: staged.dir, command: plan.build, env, log: input.log, signal: input.signal });
      if (buildCache) await deps.buildCaches.save(input.appId, buildCache, staged.dir, input.log);
    }
    return cache;
  } finally {
    await staged.unstage();
  }
}

export async function buildTree(deps: TreeBuildDeps, input: BuildInput): Promise<BuiltArtifact> {
  warmUpTreeDigest(); // its start-up overlaps the install, not the clone
  const dir = input.tree.dir;
  const plan = await detect(input);
  const python = plan.buildpack === 'python';
  const env = { ...input.env, ...stepEnv, ...treeEnv(python) };
  const cache = await installAndBuild(deps, input, plan, env);
  // A static site's artifact holds no dependencies: cache them from the build tree first.
  if (cache && plan.start.kind === 'static') await deps.dependencies.keep({ appId: input.appId, entry: cache, from: dir, frozen: false, log: input.log });
  const cacheSaved = await pruneDevDependencies(deps, input, { plan, env, cache });
  const tree = await staticTree({ plan, dir, workDir: deps.paths.work(input.deploymentId), log: input.log });
  const command = startArgv(plan.start, treeEnv(python));
  const revisionDir = deps.paths.revision(input.deploymentId);
  const stored = await storeTree(deps.paths.artifacts, tree, revisionDir, (hex) => deps.uses(input.deploymentId, hex));
  const imageRef = artifactImageRef(stored.hex);
  if (cache && plan.start.kind !== 'static' && !cacheSaved) {
    const from = path.join(deps.paths.artifacts, stored.hex);
    deps.afterDeploy(input.deploymentId, () => void deps.dependencies.keep({ appId: input.appId, entry: cache, from, frozen: true, log: input.log }));
  }
  input.log.line(`[artifact] ${imageRef} (${stored.files} files, ${stored.bytes} bytes)`);
  return { imageRef, command, buildpack: plan.buildpack, revisionDir };
}
