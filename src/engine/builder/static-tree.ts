// A static site's artifact: the build output (the first candidate folder with an index.html) and
// Berth's server script, nothing else: no sources, no dependencies.
import { copyFile, mkdir, rename } from 'node:fs/promises';
import path from 'node:path';
import type { BuildLog } from '../../core/ports/builds.js';
import { DomainError } from '../../domain/errors.js';
import type { BuildPlan } from './detect-plan.js';
import { staticServerPath, staticSiteDir } from './start-command.js';
import { exists } from './tree-store.js';

/** The tree to store: `dir` itself unless the plan serves static files, else a new tree under `workDir`. */
export async function staticTree(input: { plan: BuildPlan; dir: string; workDir: string; log: BuildLog }): Promise<string> {
  const { plan, dir } = input;
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
  const tree = path.join(input.workDir, 'static');
  await mkdir(path.join(tree, '.berth'), { recursive: true });
  await rename(output === '.' ? dir : path.join(dir, output), path.join(tree, staticSiteDir));
  await copyFile(new URL('./static-server.mjs', import.meta.url), path.join(tree, staticServerPath));
  return tree;
}
