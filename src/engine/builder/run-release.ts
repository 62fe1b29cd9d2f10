// The app's release command, once per deployment in the new revision's tree before it gets
// traffic, within the app's own limits like its instances; resolves with the failure, or null.
import path from 'node:path';
import type { ReleaseInput } from '../../core/ports/builds.js';
import { pythonPackagesDir } from './detect-plan.js';
import { scriptArgv, treeEnv } from './start-command.js';
import type { StepContext } from './run-build-step.js';
import { stepEnv } from './step-env.js';
import { exists } from './tree-store.js';

export async function runRelease(context: StepContext & { platformEnv: Readonly<Record<string, string>> }, input: ReleaseInput): Promise<string | null> {
  input.log.line(`[release] $ ${input.command}`);
  // The tree says what it is: pip's packages are there for a Python app.
  const releaseEnv = treeEnv(await exists(path.join(input.revisionDir, pythonPackagesDir)));
  const result = await context.steps.run({
    kind: 'release',
    appId: input.appId,
    workDir: input.revisionDir,
    command: scriptArgv(input.command, releaseEnv),
    env: { ...input.env, ...context.platformEnv, ...stepEnv, ...releaseEnv },
    log: input.log,
    signal: input.signal,
    timeoutMs: context.timeoutMs,
    limits: { ...input.limits, pids: context.buildLimits.pids },
  });
  if (result.aborted) return 'the release command was stopped';
  if (result.oomKilled) return `the release command ran out of memory (the app's limit is ${input.limits.memoryMi} MiB)`;
  if (result.timedOut) return `the release command did not finish within ${Math.round(context.timeoutMs / 1000)} s`;
  if (result.exitCode !== 0) return `the release command failed (exit ${result.exitCode ?? result.signal ?? 'unknown'})`;
  input.log.line('[release] done');
  return null;
}
