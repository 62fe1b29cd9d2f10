// The port the tree builder runs its install, build and release steps through. The builder
// says what to run (argv, dir, env, limits) and never how: today's driver runs steps as sandboxed
// host processes (engine/runtime/process/steps), whichever runtime driver runs the instances.
import type { BuildLog } from '../../core/ports/builds.js';
import type { ResourceLimits } from '../../core/ports/runtime.js';

export interface BuildStep {
  /** Names the step in the driver's own records: an install or build step, or a release command. */
  kind: 'build' | 'release';
  /** Steps of one app run as one identity (the app's build uid), never another app's. */
  appId: string;
  workDir: string;
  command: readonly string[];
  env: Readonly<Record<string, string>>;
  log: BuildLog;
  signal: AbortSignal;
  timeoutMs: number;
  limits: ResourceLimits;
}

export interface StepResult {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  aborted: boolean;
  /** A process of the step was killed for going over its memory limit. */
  oomKilled: boolean;
}

export interface BuildSteps {
  run(step: BuildStep): Promise<StepResult>;
}
