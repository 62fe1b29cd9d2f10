// The tree builder: fetches a source into scratch space, builds it by its detected plan through
// the step driver it is given (BuildSteps), and keeps the results as content-addressed artifacts.
// It also checks out artifacts for revisions, runs release commands and removes what no revision
// keeps. Image builds (Dockerfiles) are the container engine's (core/ports/images.ts).
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Builder } from '../../core/ports/builds.js';
import type { Logger } from '../../core/ports/logger.js';
import type { ResourceLimits } from '../../core/ports/runtime.js';
import { artifactHex } from '../../domain/build.js';
import { checkGitUrl } from '../sources/url-policy.js';
import { tarballProblem } from '../sources/tarball-check.js';
import { uploadFile, writeUpload } from '../sources/upload-files.js';
import { createBuildCacheStore } from './build-cache-store.js';
import { builderPaths } from './builder-paths.js';
import type { BuildSteps } from './build-steps.js';
import { buildTree } from './build-tree.js';
import { collectTrees, removeNamed, storedUploadIds } from './collect-trees.js';
import { createKeyedLock } from '../keyed-lock.js';
import { createDependencyCache } from './dependency-cache.js';
import { fetchSource, materializeSnapshot } from './fetch-source.js';
import { runRelease } from './run-release.js';
import { exists, linkCopy } from './tree-store.js';
import { sayingWhenDiskFull } from './when-disk-full.js';

export interface BuilderOptions {
  /** The builder's own directory under Berth's data dir. */
  rootDir: string;
  /** Runs install, build and release steps (sandboxed host processes today). */
  steps: BuildSteps;
  allowPrivateNetworks: boolean;
  buildTimeoutMs: number;
  maxExtractedBytes: number;
  maxExtractedFiles: number;
  /** Berth's own variables, given to release commands as to instances. */
  platformEnv: Readonly<Record<string, string>>;
  logger: Logger;
  /** Artifacts and revision trees younger than this are never collected (a deploy may be using them). */
  gcGraceMs?: number;
  /** Install and build steps get at least these limits (more when the app reserves more). */
  buildLimits: ResourceLimits;
  /** Prune devDependencies from Node.js artifacts when nothing run in them needs one (default on). */
  pruneDevDependencies: boolean;
}

export function createBuilder(options: BuilderOptions): Builder {
  const paths = builderPaths(options.rootDir);
  const step = { steps: options.steps, timeoutMs: options.buildTimeoutMs, buildLimits: options.buildLimits };
  const grace = options.gcGraceMs ?? 10 * 60_000;
  const buildCaches = createBuildCacheStore({ dirFor: paths.buildCache, stageFor: paths.stage, logger: options.logger });
  const dependencies = createDependencyCache({ dir: paths.cache, logger: options.logger });
  /** Deployments whose scratch space and revision tree are in use (a crash leaves others behind for the sweep). */
  const active = new Set<string>();
  /** The artifact (hash) each deployment in flight built or checked out. */
  const artifactsInUse = new Map<string, string>();
  const locks = createKeyedLock();
  /** Cache saves that start once their deployment is over. */
  const afterDeploy = new Map<string, () => void>();
  const whenDiskFull = <T>(run: () => Promise<T>) => sayingWhenDiskFull(options.rootDir, run);
  const inUse = { activeDeployment: (id: string) => active.has(id), activeArtifact: (hex: string) => [...artifactsInUse.values()].includes(hex) };
  const sweepContext = () => ({ locks, cutoffMs: Date.now() - grace, logger: options.logger });
  const fetchOptions = {
    uploadsDir: paths.uploads,
    allowPrivateNetworks: options.allowPrivateNetworks,
    timeoutMs: options.buildTimeoutMs,
    maxExtractedBytes: options.maxExtractedBytes,
    maxExtractedFiles: options.maxExtractedFiles,
  };
  const treeDeps = {
    paths,
    step,
    dependencies,
    buildCaches,
    pruneDevDependencies: options.pruneDevDependencies,
    afterDeploy: (id: string, save: () => void) => void afterDeploy.set(id, save),
    // Under the hash's lock: a removal of that artifact in progress ends first.
    uses: (id: string, hex: string) => locks.run(hex, async () => void artifactsInUse.set(id, hex)),
  };

  return {
    async checkGitUrl(url) {
      await checkGitUrl(url, { allowPrivateNetworks: options.allowPrivateNetworks });
    },

    fetch: (input) =>
      whenDiskFull(() => {
        active.add(input.deploymentId);
        return fetchSource({ ...fetchOptions, workDir: paths.work(input.deploymentId) }, input);
      }),
    materialize: (input) =>
      whenDiskFull(() => {
        active.add(input.deploymentId);
        return materializeSnapshot(paths.work(input.deploymentId), input);
      }),
    build: (input) => whenDiskFull(() => buildTree(treeDeps, input)),

    async checkout(input) {
      const hex = artifactHex(input.imageRef);
      if (!hex) return null;
      return locks.run(hex, async () => {
        if (!(await exists(path.join(paths.artifacts, hex)))) return null;
        // In use until the deployment's cleanup: the collector spares both from here on.
        active.add(input.deploymentId);
        artifactsInUse.set(input.deploymentId, hex);
        const dest = paths.revision(input.deploymentId);
        await rm(dest, { recursive: true, force: true });
        await linkCopy(path.join(paths.artifacts, hex), dest);
        return dest;
      });
    },

    hasTree: (revisionDir) => locks.run(revisionDir, () => exists(revisionDir)),

    release: (input) => runRelease({ ...step, platformEnv: options.platformEnv }, input),

    receiveUpload: (uploadId, body, maxBytes) => writeUpload(paths.uploads, uploadId, body, maxBytes),
    uploadProblem: (uploadId) => tarballProblem(uploadFile(paths.uploads, uploadId)),
    discardUpload: (uploadId) => {
      const file = uploadFile(paths.uploads, uploadId);
      return locks.run(file, () => rm(file, { force: true }));
    },
    hasUpload: (uploadId) => {
      const file = uploadFile(paths.uploads, uploadId);
      return locks.run(file, () => exists(file));
    },

    async cleanup(deploymentId) {
      afterDeploy.get(deploymentId)?.();
      afterDeploy.delete(deploymentId);
      active.delete(deploymentId);
      artifactsInUse.delete(deploymentId);
      await rm(paths.work(deploymentId), { recursive: true, force: true });
    },

    async forgetApp(appId) {
      await dependencies.forget(appId);
      for (const dir of [paths.buildCache(appId), paths.stage(appId)]) await rm(dir, { recursive: true, force: true });
    },

    storedUploads: () => storedUploadIds(paths.uploads),

    async collectGarbage(keep) {
      const ctx = sweepContext();
      await collectTrees(paths, { ...keep, ...inUse }, ctx);
      await buildCaches.sweepStages(ctx.cutoffMs);
    },

    async removeOutput(items, spare) {
      await removeNamed(paths, items, { imageRef: spare, revisionDir: spare, upload: spare, ...inUse }, sweepContext());
    },
  };
}
