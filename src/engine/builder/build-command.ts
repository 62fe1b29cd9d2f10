// An app's own build command (its `buildCommand`) replaces the build step of the detected plan:
// it runs where the detected build would (after the install, in the sandbox, with the app's env),
// under sh like any user's line (as `npm run` runs scripts; the step's env gives it the tree's
// PATH). The rest of the plan (install, start, caches) stays as detected.
import type { BuildPlan } from './detect-plan.js';

export function withBuildCommand(plan: BuildPlan, command: string | null): BuildPlan {
  const line = command?.trim();
  if (!line) return plan;
  return {
    ...plan,
    build: ['/bin/sh', '-c', line],
    summary: [...plan.summary, `build: ${line} (the app's build command, in place of the detected build)`],
  };
}
