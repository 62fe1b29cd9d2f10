// An app's own build command (its `buildCommand`) replaces the build step of the detected plan:
// it runs where the detected build would (after the install, in the sandbox, with the app's env),
// under sh like any user's line. The rest of the plan (install, start, caches) stays as detected.
import type { BuildPlan } from './detect-plan.js';
import { scriptArgv } from './start-command.js';

export function withBuildCommand(plan: BuildPlan, command: string | null): BuildPlan {
  const line = command?.trim();
  if (!line) return plan;
  return {
    ...plan,
    build: scriptArgv(line),
    summary: [...plan.summary, `build: ${line} (the app's build command, in place of the detected build)`],
  };
}
