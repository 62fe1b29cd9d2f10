// The builder: fetches a source into scratch space, detects its plan, installs (or restores the
// app's dependency cache keyed by its lockfile), builds in a sandbox, and stores the result as a
// content-addressed artifact. It also checks out artifacts for revisions, runs release commands
// and removes what no revision keeps.
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, readdir, rename, rm, stat, statfs } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../../core/ports/logger.js';
import type { AppLimits, Builder, BuildInput, BuildLog, BuiltArtifact, FetchedSource } from '../../core/ports/builds.js';
import type { ResourceLimits } from '../../core/ports/runtime.js';
import { artifactHex, artifactImageRef } from '../../domain/build.js';
import { DomainError, isStorageFull } from '../../domain/errors.js';
import type { CgroupLocation } from '../runtime/process/cgroup-v1.js';
import type { HostNetwork } from '../runtime/process/network/host-network.js';
import { defaultTools, type ProcessRuntimeTools } from '../runtime/process/options.js';
import { createUidAllocator } from '../runtime/process/uid-allocator.js';
import { gitFetch, SourceError } from '../sources/git-fetch.js';
import { safeExtract } from '../sources/safe-extract.js';
import { writeSnapshot } from '../sources/snapshot-files.js';
import { tarballProblem } from '../sources/tarball-check.js';
import { uploadFile, writeUpload } from '../sources/upload-files.js';
import { checkGitUrl } from '../sources/url-policy.js';
import { createBuildCacheStore } from './build-cache-store.js';
import { withBuildCommand } from './build-command.js';
import { detectPlan, fallbackDockerfile, pythonPackagesDir, type BuildPlan, type FileProbe } from './detect-plan.js';
import { builderPaths } from './builder-paths.js';
import { runStep, type StepRunnerOptions } from './sandbox-step.js';
import { scriptArgv, startArgv, staticServerPath, staticSiteDir, treeEnv } from './start-command.js';
import { freezeTree, warmUpTreeDigest } from './tree-digest.js';
import { exists, linkCopy, storeTree } from './tree-store.js';

export interface BuilderOptions {
  /** The builder's own directory under Berth's data dir. */
  rootDir: string;
  /** Run steps in bubblewrap (what the process runtime found to work). */
  sandbox: boolean;
  hiddenPaths: readonly string[];
  allowPrivateNetworks: boolean;
  buildTimeoutMs: number;
  maxExtractedBytes: number;
  maxExtractedFiles: number;
  /** Berth's own variables, given to release commands as to instances. */
  platformEnv: Readonly<Record<string, string>>;
  logger: Logger;
  tools?: Partial<ProcessRuntimeTools>;
  /** Artifacts and revision trees younger than this are never collected (a deploy may be using them). */
  gcGraceMs?: number;
  /** Where build steps get cgroups of their own (null: the machine gives Berth none). */
  cgroups: CgroupLocation | null;
  /** A network namespace per build step (null: the host network). */
  network?: HostNetwork | null;
  /** Install and build steps get at least these limits (more when the app reserves more). */
  buildLimits: ResourceLimits;
}

const systemEnv = {
  HOME: '/tmp',
  CI: 'true',
  NODE_EXTRA_CA_CERTS: '/etc/ssl/certs/ca-certificates.crt',
  npm_config_update_notifier: 'false',
  npm_config_fund: 'false',
  COREPACK_ENABLE_DOWNLOAD_PROMPT: '0',
  PIP_BREAK_SYSTEM_PACKAGES: '1',
  PYTHONDONTWRITEBYTECODE: '1',
  LANG: 'C.UTF-8',
};

function treeProbe(root: string): FileProbe {
  const inside = (relative: string) => {
    const full = path.resolve(root, relative);
    return full === root || full.startsWith(`${root}/`) ? full : null;
  };
  return {
    async exists(relative) {
      const full = inside(relative);
      return full !== null && exists(full);
    },
    async read(relative) {
      const full = inside(relative);
      if (!full) return null;
      try {
        const info = await stat(full);
        return info.isFile() && info.size < 4 * 1024 * 1024 ? await readFile(full, 'utf8') : null;
      } catch {
        return null;
      }
    },
  };
}

/** A tarball of one top-level folder holds the project inside it. */
async function projectRoot(dir: string): Promise<string> {
  const entries = await readdir(dir, { withFileTypes: true });
  const only = entries[0];
  return entries.length === 1 && only?.isDirectory() ? path.join(dir, only.name) : dir;
}

export function createBuilder(options: BuilderOptions): Builder {
  const paths = builderPaths(options.rootDir);
  const tools = { ...defaultTools, ...options.tools };
  const uids = createUidAllocator(paths.uids, { first: 2_000_000, count: 1_000_000 });
  const steps: StepRunnerOptions = {
    sandbox: options.sandbox,
    stateDir: paths.state,
    hiddenPaths: options.hiddenPaths,
    tools,
    resolvConfPath: '/etc/resolv.conf',
    cgroups: options.cgroups,
    network: options.network ?? null,
  };
  const { buildLimits } = options;
  /** Install and build may need more than the app reserves to run: the operator's floor applies. */
  const buildStepLimits = (app: AppLimits): ResourceLimits => ({
    memoryMi: Math.max(app.memoryMi, buildLimits.memoryMi),
    cpuMillicores: Math.max(app.cpuMillicores, buildLimits.cpuMillicores),
    pids: buildLimits.pids,
  });
  const grace = options.gcGraceMs ?? 10 * 60_000;
  const buildCaches = createBuildCacheStore({ dirFor: paths.buildCache, stageFor: paths.stage, logger: options.logger });
  let stepCounter = 0;
  /** Deployments whose scratch space is in use (a crash leaves others behind for the sweep). */
  const active = new Set<string>();

  /** Below this much space left for unprivileged writes (builds run as app uids), a failure is the disk's. */
  const fullBelowBytes = 1024 * 1024;

  /**
   * Runs one phase; when it fails on a full disk (or leaves the disk full: tools say so in their
   * own words, if at all), the failure says that instead.
   */
  async function sayingWhenDiskFull<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof DomainError && error.code === 'conflict') throw error; // cancelled
      let free: number | null = null;
      try {
        const disk = await statfs(options.rootDir);
        free = disk.bavail * disk.bsize;
      } catch {
        free = null; // cannot tell: the failure stands as it is
      }
      if (isStorageFull(error) || (free !== null && free < fullBelowBytes)) {
        const left = free === null ? '' : ` (${Math.round(free / 1024)} KiB left)`;
        throw new DomainError('unavailable', `Berth's disk is full${left}: free some space and deploy again`);
      }
      throw error;
    }
  }

  async function step(input: { appId: string; limits: AppLimits; name: string; dir: string; command: string[]; env: Record<string, string>; log: BuildLog; signal: AbortSignal }) {
    input.log.line(`[build] $ ${input.command.join(' ')}`);
    stepCounter += 1;
    const result = await runStep(steps, {
      stepId: `build-${process.pid}-${stepCounter}`,
      uid: uids.uidFor(input.appId),
      workDir: input.dir,
      command: input.command,
      env: input.env,
      log: input.log,
      signal: input.signal,
      timeoutMs: options.buildTimeoutMs,
      limits: buildStepLimits(input.limits),
    });
    if (result.aborted) throw new DomainError('conflict', 'cancelled');
    if (result.oomKilled) {
      throw new DomainError('invalid', `${input.name} ran out of memory (limit ${buildStepLimits(input.limits).memoryMi} MiB; raise the app's memoryLimitMi or BERTH_BUILD_MEMORY_MI)`);
    }
    if (result.timedOut) throw new DomainError('invalid', `${input.name} did not finish within ${Math.round(options.buildTimeoutMs / 1000)} s`);
    if (result.exitCode !== 0) {
      throw new DomainError('invalid', `${input.name} failed (${input.command.join(' ')} exited with ${result.exitCode ?? result.signal ?? 'unknown'})`);
    }
  }

  async function cacheKey(plan: BuildPlan, dir: string): Promise<string | null> {
    if (!plan.cache || !plan.install) return null;
    const hash = createHash('sha256').update(`${process.version}\0${plan.buildpack}\0${plan.install.join(' ')}\0`);
    for (const file of plan.cache.keyFiles) {
      try {
        hash.update(`${file}\0`).update(await readFile(path.join(dir, file))).update('\0');
      } catch {
        hash.update(`${file}\0-\0`);
      }
    }
    return hash.digest('hex');
  }

  /** Cache saves still running per app; the app's next install waits for its own. */
  const savingCache = new Map<string, Promise<void>>();
  /** Cache saves that start once their deployment is over (its rollout need not share the disk). */
  const cacheAfterDeploy = new Map<string, () => void>();

  /** Hard-links `dirs` of `from` into the app's cache under `key`, replacing older caches. */
  async function saveCache(input: { appId: string; key: string; dirs: readonly string[]; from: string; frozen: boolean; log: BuildLog }) {
    const appCache = path.join(paths.cache, input.appId);
    const target = path.join(appCache, input.key);
    if (await exists(target)) return;
    const temp = `${target}.tmp-${process.pid}-${Date.now()}`;
    await mkdir(temp, { recursive: true, mode: 0o700 });
    for (const sub of input.dirs) {
      if (await exists(path.join(input.from, sub))) await linkCopy(path.join(input.from, sub), path.join(temp, sub));
    }
    if (!input.frozen) await freezeTree(temp);
    for (const old of await readdir(appCache)) {
      if (path.join(appCache, old) !== temp) await rm(path.join(appCache, old), { recursive: true, force: true });
    }
    await rename(temp, target);
  }

  /** Restores cached dependencies or installs them; returns the cache to save after the build, if any. */
  async function install(input: BuildInput, plan: BuildPlan, dir: string, env: Record<string, string>): Promise<{ key: string; dirs: string[] } | null> {
    if (!plan.install) return null;
    await savingCache.get(input.appId);
    const key = await cacheKey(plan, dir);
    const cached = key && plan.cache ? path.join(paths.cache, input.appId, key) : null;
    if (cached && plan.cache && (await exists(cached))) {
      for (const sub of plan.cache.dirs) {
        if (!(await exists(path.join(cached, sub)))) continue;
        await rm(path.join(dir, sub), { recursive: true, force: true });
        await linkCopy(path.join(cached, sub), path.join(dir, sub));
      }
      input.log.line(`[cache] dependencies unchanged (${plan.cache.keyFiles.join(', ')} sha256 ${key?.slice(0, 12)}): install skipped`);
      return null;
    }
    await step({ appId: input.appId, limits: input.limits, name: 'install', dir, command: plan.install, env, log: input.log, signal: input.signal });
    return key && plan.cache ? { key, dirs: plan.cache.dirs } : null;
  }

  /** Saves the cache in the background (off the deploy's path) from the frozen artifact, or now from the build tree. */
  async function keepCache(input: BuildInput, cache: { key: string; dirs: string[] }, from: { dir: string; frozen: boolean }) {
    const save = saveCache({ appId: input.appId, key: cache.key, dirs: cache.dirs, from: from.dir, frozen: from.frozen, log: input.log })
      // A background save may end after the deployment's log closed: only an awaited one reports.
      .then(() => (from.frozen ? undefined : input.log.line(`[cache] saved dependencies for the next build (sha256 ${cache.key.slice(0, 12)})`)))
      .catch((error: unknown) => options.logger.warn({ err: error, appId: input.appId }, 'could not save the dependency cache'))
      .finally(() => savingCache.delete(input.appId));
    savingCache.set(input.appId, save);
    if (!from.frozen) await save;
  }

  /** The static site's tree: the build output and Berth's server script, nothing else. */
  async function staticTree(input: BuildInput, plan: BuildPlan, dir: string): Promise<string> {
    if (plan.start.kind !== 'static') return dir;
    let output: string | null = null;
    for (const candidate of plan.start.candidates) {
      if (await exists(path.join(dir, candidate, 'index.html'))) {
        output = candidate;
        break;
      }
    }
    if (output === null) {
      throw new DomainError('invalid', `the build emitted no index.html in any of ${plan.start.candidates.join(', ')}, so there is nothing to serve`);
    }
    input.log.line(`[build] serving the static files of ${output === '.' ? 'the repository root' : `${output}/`}`);
    const tree = path.join(paths.work(input.deploymentId), 'static');
    await mkdir(path.join(tree, '.berth'), { recursive: true });
    if (output === '.') {
      await rename(dir, path.join(tree, staticSiteDir));
    } else {
      await rename(path.join(dir, output), path.join(tree, staticSiteDir));
    }
    await copyFile(new URL('./static-server.mjs', import.meta.url), path.join(tree, staticServerPath));
    return tree;
  }

  async function fetchSource(input: Parameters<Builder['fetch']>[0]): Promise<FetchedSource> {
    const fetched = await fetchTree(input);
    return { ...fetched, dockerfile: await fallbackDockerfile(treeProbe(fetched.dir)) };
  }

  async function fetchTree(input: Parameters<Builder['fetch']>[0]): Promise<FetchedSource> {
    active.add(input.deploymentId);
    const work = paths.work(input.deploymentId);
    await rm(work, { recursive: true, force: true });
    await mkdir(work, { recursive: true, mode: 0o700 });
    const dir = path.join(work, 'src');
    if (input.source.type === 'GIT') {
      const checked = await checkGitUrl(input.source.url, { allowPrivateNetworks: options.allowPrivateNetworks });
      const commit = await gitFetch({
        checked,
        branch: input.source.branch,
        commitSha: input.source.commitSha,
        dir,
        log: input.log,
        signal: input.signal,
        timeoutMs: options.buildTimeoutMs,
      });
      return { dir, gitCommitSha: commit.sha, gitCommitMessage: commit.message };
    }
    if (input.source.type === 'IMAGE') throw new Error('IMAGE sources are pulled by the container engine, not fetched');
    await mkdir(dir, { mode: 0o700 });
    input.log.line(`[source] extracting upload ${input.source.uploadId}`);
    const extracted = await safeExtract(uploadFile(paths.uploads, input.source.uploadId), dir, {
      maxBytes: options.maxExtractedBytes,
      maxFiles: options.maxExtractedFiles,
    });
    input.log.line(`[source] ${extracted.files} entries, ${extracted.bytes} bytes`);
    return { dir: await projectRoot(dir), gitCommitSha: null, gitCommitMessage: null };
  }

  async function materialize(input: Parameters<Builder['materialize']>[0]): Promise<FetchedSource> {
    active.add(input.deploymentId);
    const work = paths.work(input.deploymentId);
    await rm(work, { recursive: true, force: true });
    const dir = path.join(work, 'src');
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const written = await writeSnapshot(dir, input.files);
    input.log.line(`[source] ${written.files} files, ${written.bytes} bytes`);
    return { dir, gitCommitSha: null, gitCommitMessage: null };
  }

  async function buildTree(input: BuildInput): Promise<BuiltArtifact> {
    warmUpTreeDigest(); // its start-up overlaps the install, not the clone
    const dir = input.tree.dir;
    const detected = await detectPlan(treeProbe(dir), { dockerfilePath: input.dockerfilePath });
    if (!detected.ok) {
      input.log.line(`[plan] ${detected.reason}`);
      throw new DomainError('invalid', detected.reason);
    }
    const plan = withBuildCommand(detected.plan, input.buildCommand);
    for (const line of plan.summary) input.log.line(`[plan] ${line}`);
    input.onPlan?.(plan.buildpack);
    const python = plan.buildpack === 'python';
    const env = { ...input.env, ...systemEnv, ...treeEnv(python) };
    const { buildCache } = plan;
    const staged = buildCache ? await buildCaches.stage(input.appId, dir) : { dir, unstage: async () => undefined };
    let cache: Awaited<ReturnType<typeof install>>;
    try {
      cache = await install(input, plan, staged.dir, env);
      if (plan.build) {
        if (buildCache) await buildCaches.restore(input.appId, buildCache, staged.dir, input.log);
        await step({ appId: input.appId, limits: input.limits, name: 'build', dir: staged.dir, command: plan.build, env, log: input.log, signal: input.signal });
        if (buildCache) await buildCaches.save(input.appId, buildCache, staged.dir, input.log);
      }
    } finally {
      await staged.unstage();
    }
    // A static site's artifact holds no dependencies: cache them from the build tree first.
    if (cache && plan.start.kind === 'static') await keepCache(input, cache, { dir, frozen: false });
    const tree = await staticTree(input, plan, dir);
    const command = startArgv(plan.start, treeEnv(python));
    const revisionDir = paths.revision(input.deploymentId);
    const stored = await storeTree(paths.artifacts, tree, revisionDir);
    const imageRef = artifactImageRef(stored.hex);
    if (cache && plan.start.kind !== 'static') {
      cacheAfterDeploy.set(input.deploymentId, () => void keepCache(input, cache, { dir: path.join(paths.artifacts, stored.hex), frozen: true }));
    }
    input.log.line(`[artifact] ${imageRef} (${stored.files} files, ${stored.bytes} bytes)`);
    return { imageRef, command, buildpack: plan.buildpack, revisionDir };
  }

  return {
    async checkGitUrl(url) {
      await checkGitUrl(url, { allowPrivateNetworks: options.allowPrivateNetworks });
    },

    fetch: (input) => sayingWhenDiskFull(() => fetchSource(input)),
    materialize: (input) => sayingWhenDiskFull(() => materialize(input)),
    build: (input) => sayingWhenDiskFull(() => buildTree(input)),

    async checkout(input) {
      const hex = artifactHex(input.imageRef);
      if (!hex || !(await exists(path.join(paths.artifacts, hex)))) return null;
      const dest = paths.revision(input.deploymentId);
      await rm(dest, { recursive: true, force: true });
      await linkCopy(path.join(paths.artifacts, hex), dest);
      return dest;
    },

    async release(input) {
      input.log.line(`[release] $ ${input.command}`);
      // The tree says what it is: pip's packages are there for a Python app.
      const releaseEnv = treeEnv(await exists(path.join(input.revisionDir, pythonPackagesDir)));
      stepCounter += 1;
      const result = await runStep(steps, {
        stepId: `release-${process.pid}-${stepCounter}`,
        uid: uids.uidFor(input.appId),
        workDir: input.revisionDir,
        command: scriptArgv(input.command, releaseEnv),
        env: { ...input.env, ...options.platformEnv, ...systemEnv, ...releaseEnv },
        log: input.log,
        signal: input.signal,
        timeoutMs: options.buildTimeoutMs,
        limits: { ...input.limits, pids: buildLimits.pids },
      });
      if (result.aborted) return 'the release command was stopped';
      if (result.oomKilled) return `the release command ran out of memory (the app's limit is ${input.limits.memoryMi} MiB)`;
      if (result.timedOut) return `the release command did not finish within ${Math.round(options.buildTimeoutMs / 1000)} s`;
      if (result.exitCode !== 0) return `the release command failed (exit ${result.exitCode ?? result.signal ?? 'unknown'})`;
      input.log.line('[release] done');
      return null;
    },

    receiveUpload: (uploadId, body, maxBytes) => writeUpload(paths.uploads, uploadId, body, maxBytes),
    uploadProblem: (uploadId) => tarballProblem(uploadFile(paths.uploads, uploadId)),
    discardUpload: (uploadId) => rm(uploadFile(paths.uploads, uploadId), { force: true }),

    async cleanup(deploymentId) {
      cacheAfterDeploy.get(deploymentId)?.();
      cacheAfterDeploy.delete(deploymentId);
      active.delete(deploymentId);
      await rm(paths.work(deploymentId), { recursive: true, force: true });
    },

    async forgetApp(appId) {
      // A save still linking files would put the cache back after it is removed.
      await savingCache.get(appId);
      for (const dir of [path.join(paths.cache, appId), paths.buildCache(appId), paths.stage(appId)]) {
        await rm(dir, { recursive: true, force: true });
      }
    },

    async collectGarbage(keep) {
      const cutoff = Date.now() - grace;
      const sweep = async (dir: string, kept: (full: string, name: string) => boolean) => {
        let names: string[] = [];
        try {
          names = await readdir(dir);
        } catch {
          return; // nothing stored yet
        }
        for (const name of names) {
          const full = path.join(dir, name);
          if (kept(full, name)) continue;
          try {
            if ((await stat(full)).mtimeMs > cutoff) continue;
            await rm(full, { recursive: true, force: true });
          } catch (error) {
            options.logger.warn({ err: error, path: full }, 'could not remove an unused build tree');
          }
        }
      };
      await sweep(paths.artifacts, (_full, name) => keep.imageRefs.has(artifactImageRef(name)));
      await sweep(paths.revisions, (full) => keep.revisionDirs.has(full));
      await sweep(path.dirname(paths.work('x')), (_full, name) => active.has(name));
      await buildCaches.sweepStages(cutoff);
    },
  };
}

export { SourceError };
