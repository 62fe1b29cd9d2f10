// Preview sessions' dev servers: a working tree per session (hydrated from the version's files,
// written through by the files API), its dependencies installed in a build sandbox (or linked
// from the app's dependency cache), and its dev server run by a process runtime of its own, in
// the same sandbox, network namespace and limits as instances, apart from the reconciler's.
import { chown, lstat, mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../../core/ports/logger.js';
import type { DevServer, PreviewEngine, PreviewFile, PreviewLimits } from '../../core/ports/previews.js';
import type { Endpoint } from '../../core/ports/route-table.js';
import type { ResourceLimits, Runtime } from '../../core/ports/runtime.js';
import { cleanFilePath } from '../../domain/tree-path.js';
import type { BuildLog } from '../../core/ports/builds.js';
import type { BuildSteps } from '../builder/build-steps.js';
import { treeEnv } from '../builder/start-command.js';
import { cacheKey, restoreCache, saveCache } from './dependency-cache.js';
import { previewPlan, type PreviewPlan } from './preview-plan.js';

export interface PreviewEngineOptions {
  /** The previews' own directory under Berth's data dir. */
  rootDir: string;
  /** Runs dev servers: a process runtime of the previews' own (made in the background, off Berth's start). */
  runtime: () => Promise<Runtime>;
  /** How install steps run: the builder's step driver (its sandbox, cgroups, network and build uids). */
  steps: BuildSteps;
  /** Install steps and dev servers get at least these (more when the app reserves more). */
  floor: ResourceLimits;
  installTimeoutMs: number;
  /** How long a dev server may take to answer its first request. */
  readyTimeoutMs: number;
  logger: Logger;
}

interface Session {
  tree: string;
  /** Steps and writes of the session, one at a time, in order. */
  queue: Promise<unknown>;
  plan: PreviewPlan | null;
  instanceId: string | null;
  endpoint: Endpoint | null;
  abort: AbortController;
}

/** The last lines of an install's output, for the session's error. */
function tailLog(max: number): BuildLog & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    line(text) {
      lines.push(text);
      if (lines.length > max) lines.shift();
    },
  };
}

/** npm's and others' lines that say what went wrong, else the last lines. */
function whyInstallFailed(lines: readonly string[]): string {
  const errors = lines.filter((l) => /\b(ERR!|error|Error|ERR_)/.test(l)).slice(0, 4);
  return (errors.length > 0 ? errors : lines.slice(-3)).map((l) => l.trim()).join(' | ').slice(0, 600);
}

export function createPreviewEngine(options: PreviewEngineOptions): PreviewEngine & { close(): Promise<void>; cleanLeftovers(): Promise<void> } {
  const trees = path.join(options.rootDir, 'trees');
  const cacheRoot = path.join(options.rootDir, 'cache');
  const sessions = new Map<string, Session>();
  const limitsOf = (app: PreviewLimits): ResourceLimits => ({
    memoryMi: Math.max(app.memoryMi, options.floor.memoryMi),
    cpuMillicores: app.cpuMillicores === 0 || options.floor.cpuMillicores === 0 ? 0 : Math.max(app.cpuMillicores, options.floor.cpuMillicores),
    pids: options.floor.pids,
  });

  function session(sessionId: string): Session {
    const found = sessions.get(sessionId);
    if (!found) throw new Error('the preview was stopped');
    return found;
  }

  /** Runs `work` after the session's earlier steps and writes. */
  function queued<T>(s: Session, work: () => Promise<T>): Promise<T> {
    const run = s.queue.then(work, work);
    s.queue = run.catch(() => undefined);
    return run;
  }

  /** The file's place in the tree; the core checked the path, this checks again. */
  function fileIn(s: Session, relative: string): string {
    const clean = cleanFilePath(relative);
    if ('problem' in clean) throw new Error(`path ${relative} ${clean.problem}`);
    return path.join(s.tree, clean.path);
  }

  /** Writes a file as the tree's owner would (the dev server's uid once it runs), atomically. */
  async function put(s: Session, file: PreviewFile): Promise<void> {
    const full = fileIn(s, file.path);
    const owner = await lstat(s.tree);
    const dirs: string[] = [];
    for (let dir = path.dirname(full); dir !== s.tree && !(await lstat(dir).then(() => true, () => false)); dir = path.dirname(dir)) dirs.unshift(dir);
    for (const dir of dirs) {
      await mkdir(dir, { mode: 0o755 });
      await chown(dir, owner.uid, owner.gid);
    }
    const temp = path.join(path.dirname(full), `.berth-${path.basename(full)}.${process.pid}.tmp`);
    await writeFile(temp, file.content, { mode: file.executable ? 0o755 : 0o644 });
    await chown(temp, owner.uid, owner.gid);
    await rename(temp, full);
  }

  async function install(s: Session, input: { appId: string; limits: PreviewLimits }): Promise<void> {
    const plan = await previewPlan(s.tree);
    s.plan = plan;
    if (plan.install === null) return;
    const key = await cacheKey(plan.cacheSalt, s.tree, plan.cacheKeyFiles);
    if (await restoreCache(cacheRoot, input.appId, key, s.tree)) return;
    const log = tailLog(40);
    const result = await options.steps.run({
      kind: 'build',
      appId: input.appId,
      workDir: s.tree,
      command: plan.install,
      env: { HOME: '/tmp', CI: 'true', npm_config_update_notifier: 'false', npm_config_fund: 'false', NODE_EXTRA_CA_CERTS: '/etc/ssl/certs/ca-certificates.crt', LANG: 'C.UTF-8', ...treeEnv(false) },
      log,
      signal: s.abort.signal,
      timeoutMs: options.installTimeoutMs,
      limits: limitsOf(input.limits),
    });
    const what = plan.install.join(' ');
    if (result.aborted) throw new Error('the preview was stopped');
    if (result.oomKilled) throw new Error(`${what} ran out of memory (limit ${limitsOf(input.limits).memoryMi} MiB)`);
    if (result.timedOut) throw new Error(`${what} did not finish within ${Math.round(options.installTimeoutMs / 1000)} s`);
    if (result.exitCode !== 0) throw new Error(`Installing dependencies failed (${what} exited with ${result.exitCode ?? result.signal ?? 'unknown'}): ${whyInstallFailed(log.lines)}`);
    // Off the session's path: the next session of this app links what this one installed.
    void saveCache(cacheRoot, input.appId, key, s.tree).catch((error: unknown) => options.logger.warn({ err: error, appId: input.appId }, 'could not save the preview dependency cache'));
  }

  async function serve(s: Session, sessionId: string, input: { appId: string; hostname: string; limits: PreviewLimits }): Promise<DevServer> {
    const plan = s.plan ?? (await previewPlan(s.tree));
    const instanceId = `prv-${sessionId.slice(sessionId.indexOf('_') + 1)}`;
    s.instanceId = instanceId;
    const runtime = await options.runtime();
    await runtime.start({
      instanceId,
      appId: input.appId,
      revisionName: 'preview',
      artifact: { kind: 'tree', digest: 'preview', dir: s.tree },
      command: ['/usr/bin/env', ...Object.entries(treeEnv(false)).map(([k, v]) => `${k}=${v}`), ...plan.command],
      env: {
        HOME: s.tree,
        HOST: '0.0.0.0',
        NODE_ENV: 'development',
        BROWSER: 'none',
        LANG: 'C.UTF-8',
        // Vite answers only the hosts it knows (server.allowedHosts): the session's is one.
        __VITE_ADDITIONAL_SERVER_ALLOWED_HOSTS: input.hostname,
      },
      listens: true,
      preferredPorts: [5173, 3000],
      limits: limitsOf(input.limits),
    });
    if (s.abort.signal.aborted) {
      // Stopped while it was starting: the stop found nothing to stop yet.
      await runtime.stop(instanceId, { drainTimeoutMs: 0 });
      throw new Error('the preview was stopped');
    }
    try {
      await runtime.waitReady(instanceId, { kind: 'tcp', timeoutMs: 2_000 }, options.readyTimeoutMs);
    } catch (error) {
      throw new Error(`The dev server (${plan.display}) did not start: ${error instanceof Error ? error.message : String(error)}`);
    }
    const status = await runtime.status(instanceId);
    s.endpoint = status?.address ?? null;
    if (s.endpoint === null) throw new Error(`The dev server (${plan.display}) listens on no port the edge can reach`);
    return { tool: plan.tool, command: plan.display };
  }

  async function stopSession(sessionId: string): Promise<void> {
    const s = sessions.get(sessionId);
    if (!s) return;
    sessions.delete(sessionId);
    s.abort.abort();
    s.endpoint = null;
    await s.queue;
    const instanceId = s.instanceId;
    if (instanceId) await (await options.runtime()).stop(instanceId, { drainTimeoutMs: 2_000 }).catch((error: unknown) => options.logger.warn({ err: error, sessionId }, 'could not stop a preview dev server'));
    await rm(s.tree, { recursive: true, force: true });
  }

  return {
    async hydrate(sessionId, files) {
      const tree = path.join(trees, sessionId);
      const s: Session = { tree, queue: Promise.resolve(), plan: null, instanceId: null, endpoint: null, abort: new AbortController() };
      sessions.set(sessionId, s);
      await queued(s, async () => {
        await rm(tree, { recursive: true, force: true });
        await mkdir(tree, { recursive: true, mode: 0o700 });
        for await (const file of files()) await put(s, file);
      });
    },
    install: (input) => {
      const s = session(input.sessionId);
      return queued(s, () => install(s, input));
    },
    // Not queued: writes must reach the tree while the dev server starts and runs.
    serve: (input) => serve(session(input.sessionId), input.sessionId, input),
    stop: stopSession,
    async writeFile(sessionId, file) {
      const s = sessions.get(sessionId);
      if (!s) return;
      await queued(s, () => put(s, file)).catch((error: unknown) => options.logger.warn({ err: error, sessionId }, 'could not write a file into a preview'));
    },
    async deleteFile(sessionId, relative) {
      const s = sessions.get(sessionId);
      if (!s) return;
      await queued(s, () => rm(fileIn(s, relative), { force: true })).catch((error: unknown) => options.logger.warn({ err: error, sessionId }, 'could not delete a file from a preview'));
    },
    endpoint: (sessionId) => sessions.get(sessionId)?.endpoint ?? null,

    async close() {
      await Promise.all([...sessions.keys()].map(stopSession));
    },

    /** A previous run's trees (its dev servers were killed with it, or by the runtime's sweep). */
    async cleanLeftovers() {
      const names = await readdir(trees).catch(() => []);
      for (const name of names) if (!sessions.has(name)) await rm(path.join(trees, name), { recursive: true, force: true });
    },
  };
}
