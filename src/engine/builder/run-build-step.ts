// Install and build steps as the tree builder runs them: logged, within the operator's build
// floor of resources (more when the app reserves more), and failed with a reason a user can act on.
import type { AppLimits, BuildLog } from '../../core/ports/builds.js';
import type { ResourceLimits } from '../../core/ports/runtime.js';
import { DomainError } from '../../domain/errors.js';
import type { BuildSteps } from './build-steps.js';
import { failureExcerpt, lineTail } from './failure-excerpt.js';

export interface StepContext {
  steps: BuildSteps;
  timeoutMs: number;
  /** The operator's floor for install and build steps (BERTH_BUILD_*). */
  buildLimits: ResourceLimits;
}

export interface BuildStepInput {
  appId: string;
  limits: AppLimits;
  /** What the user calls it: install, build. */
  name: string;
  dir: string;
  command: string[];
  env: Record<string, string>;
  log: BuildLog;
  signal: AbortSignal;
}

/** Install and build may need more than the app reserves to run: the operator's floor applies. */
export function buildStepLimits(floor: ResourceLimits, app: AppLimits): ResourceLimits {
  return { memoryMi: Math.max(app.memoryMi, floor.memoryMi), cpuMillicores: Math.max(app.cpuMillicores, floor.cpuMillicores), pids: floor.pids };
}

/** How long a step may print nothing before the log says so (again): a minute, less under short limits. */
export function quietNoticeMs(timeoutMs: number): number {
  return Math.min(60_000, Math.max(1000, Math.floor(timeoutMs / 4)));
}

const seconds = (ms: number): number => Math.round(ms / 1000);

export async function runBuildStep(context: StepContext, input: BuildStepInput): Promise<void> {
  input.log.line(`[build] $ ${input.command.join(' ')}`);
  const tail = lineTail();
  const startedAt = Date.now();
  let lastOutputAt = startedAt;
  const log = {
    line(text: string) {
      lastOutputAt = Date.now();
      tail.push(text);
      input.log.line(text);
    },
  };
  // A step that hangs (a package manager waiting on a network it cannot reach) would otherwise
  // show nothing until its limit, 15 minutes by default.
  const noticeMs = quietNoticeMs(context.timeoutMs);
  let lastNoticeAt = startedAt;
  const quiet = setInterval(() => {
    const now = Date.now();
    if (now - Math.max(lastOutputAt, lastNoticeAt) < noticeMs) return;
    lastNoticeAt = now;
    input.log.line(`[build] ${input.name} has printed nothing for ${seconds(now - lastOutputAt)} s; still running (limit ${seconds(context.timeoutMs)} s)`);
  }, Math.min(noticeMs, 5000));
  const limits = buildStepLimits(context.buildLimits, input.limits);
  const result = await context.steps
    .run({
      kind: 'build',
      appId: input.appId,
      workDir: input.dir,
      command: input.command,
      env: input.env,
      log,
      signal: input.signal,
      timeoutMs: context.timeoutMs,
      limits,
    })
    .finally(() => clearInterval(quiet));
  if (result.aborted) throw new DomainError('conflict', 'cancelled');
  if (result.oomKilled) {
    throw new DomainError('invalid', `${input.name} ran out of memory (limit ${limits.memoryMi} MiB; raise the app's memoryLimitMi or BERTH_BUILD_MEMORY_MI)`);
  }
  if (result.timedOut) {
    const silentMs = Date.now() - lastOutputAt;
    const why =
      silentMs < noticeMs
        ? ''
        : `; it printed nothing for its last ${seconds(silentMs)} s${input.name === 'install' ? ' (a package manager that goes quiet this long is usually waiting on a network it cannot reach)' : ''}`;
    throw new DomainError('invalid', `${input.name} did not finish within ${seconds(context.timeoutMs)} s${why}`);
  }
  if (result.exitCode !== 0) {
    const why = failureExcerpt(tail.lines());
    throw new DomainError('invalid', `${input.command.join(' ')} exited with ${result.exitCode ?? result.signal ?? 'unknown'}${why ? `: ${why}` : ''}`);
  }
}
