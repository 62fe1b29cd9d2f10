// An app's build command replaces the detected build step and says so; the rest of the plan stays.
import { describe, expect, it } from 'vitest';
import { withBuildCommand } from './build-command.js';
import type { BuildPlan } from './detect-plan.js';

const plan: BuildPlan = {
  buildpack: 'node-npm',
  summary: ['Detected a Node.js project (npm, package-lock.json)'],
  install: ['npm', 'ci'],
  build: ['npm', 'run', 'build'],
  start: { kind: 'script', script: 'node server.js' },
  cache: { keyFiles: ['package.json'], dirs: ['node_modules'] },
} as BuildPlan;

describe('withBuildCommand', () => {
  it('runs the command under sh in place of the detected build', () => {
    const changed = withBuildCommand(plan, 'npm run build:prod && echo done');
    expect(changed.build).toEqual(['/bin/sh', '-c', 'npm run build:prod && echo done']);
    expect(changed.summary.at(-1)).toBe("build: npm run build:prod && echo done (the app's build command, in place of the detected build)");
    expect({ ...changed, build: plan.build, summary: plan.summary }).toEqual(plan);
  });

  it('adds a build step to plans that had none, and leaves plans alone without a command', () => {
    expect(withBuildCommand({ ...plan, build: null }, 'make').build).toEqual(['/bin/sh', '-c', 'make']);
    expect(withBuildCommand(plan, null)).toBe(plan);
    expect(withBuildCommand(plan, '   ')).toBe(plan);
  });
});
