// After a Node.js build: removes devDependencies from the tree that becomes the artifact, when
// nothing run in it needs them (prune-decision.ts), and says in the build log what it did or why
// not. The dependency cache keeps them: the next build of the app still needs its `tsc`.
import { readFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { BuildInput } from '../../core/ports/builds.js';
import { DomainError } from '../../domain/errors.js';
import type { CacheEntry, DependencyCache } from './dependency-cache.js';
import type { BuildPlan, PackageJson, StartSpec } from './detect-plan.js';
import { defaultImportBudget, nodeEntries, ownImports } from './own-imports.js';
import { pruneDecision, type PruneFacts } from './prune-decision.js';
import { runBuildStep, type StepContext } from './run-build-step.js';

export interface PruneDeps {
  step: StepContext;
  dependencies: DependencyCache;
  /** The operator's BERTH_PRUNE_DEV_DEPENDENCIES. */
  pruneDevDependencies: boolean;
}

const names = (field: unknown): string[] => (typeof field === 'object' && field !== null ? Object.keys(field) : []);

async function readJson(file: string): Promise<Record<string, unknown> | null> {
  try {
    const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null; // not installed (an optional dependency), or not JSON: it provides no binaries
  }
}

/** The binaries each installed direct dependency provides (its package.json `bin`), by binary. */
async function installedBins(dir: string, packages: readonly string[]): Promise<Map<string, string[]>> {
  const bins = new Map<string, string[]>();
  for (const name of packages) {
    const bin = (await readJson(path.join(dir, 'node_modules', name, 'package.json')))?.bin;
    const provided = typeof bin === 'string' ? [name.replace(/^@[^/]+\//, '')] : names(bin);
    for (const command of provided) bins.set(command, [...(bins.get(command) ?? []), name]);
  }
  return bins;
}

async function binDir(dir: string): Promise<Set<string>> {
  try {
    return new Set(await readdir(path.join(dir, 'node_modules', '.bin')));
  } catch {
    return new Set(); // no binaries installed
  }
}

/** What `node` runs first for the start and release commands, when node is all they run (else null). */
function entriesOf(lines: readonly (string | null | undefined)[]): string[] | null {
  const entries: string[] = [];
  for (const line of lines) {
    if (!line) continue;
    const found = nodeEntries(line);
    if (found === null) return null;
    entries.push(...found);
  }
  return entries;
}

const startLine = (start: StartSpec): string | null => (start.kind === 'script' ? start.script : null);

export interface PruneInput {
  plan: BuildPlan;
  /** The app's and the steps' variables the prune step runs with. */
  env: Record<string, string>;
  /** The dependency cache entry this build installed (null: restored or not cached). */
  cache: CacheEntry | null;
}

/** Prunes when safe; true when it saved the dependency cache itself (from the tree, before pruning). */
export async function pruneDevDependencies(deps: PruneDeps, input: BuildInput, prune: PruneInput): Promise<boolean> {
  const { plan } = prune;
  const start = startLine(plan.start);
  if (!plan.prune || start === null) return false;
  const dir = input.tree.dir;
  const pkg = ((await readJson(path.join(dir, 'package.json'))) ?? {}) as PackageJson & { optionalDependencies?: unknown };
  const dependencies = [...names(pkg.dependencies), ...names(pkg.optionalDependencies)];
  const devDependencies = names(pkg.devDependencies);
  const facts: PruneFacts = {
    dependencies,
    devDependencies,
    scripts: pkg.scripts ?? {},
    commands: [{ what: 'the start command', line: start }, ...(input.releaseCommand ? [{ what: 'the release command', line: input.releaseCommand }] : [])],
    bins: await installedBins(dir, [...dependencies, ...devDependencies]),
    installedBins: await binDir(dir),
    rootFiles: new Set(await readdir(dir)),
    env: input.env,
    enabled: deps.pruneDevDependencies,
    unsupported: plan.prune.kind === 'unsupported' ? plan.prune.reason : null,
    // Type packages never load at run time.
    ownImports: await ownImports(dir, new Set(devDependencies.filter((name) => !dependencies.includes(name) && !name.startsWith('@types/'))), defaultImportBudget, entriesOf([start, input.releaseCommand])),
  };
  const decision = pruneDecision(facts);
  input.log.line(`[prune] ${decision.line}`);
  if (!decision.prune || plan.prune.kind !== 'command') return false;
  // The artifact goes without them; the cache the next build restores must not.
  if (prune.cache) await deps.dependencies.keep({ appId: input.appId, entry: prune.cache, from: dir, frozen: false, log: input.log });
  for (const file of plan.prune.forget) await rm(path.join(dir, file), { force: true });
  try {
    await runBuildStep(deps.step, { appId: input.appId, limits: input.limits, name: 'prune', dir, command: plan.prune.command, env: prune.env, log: input.log, signal: input.signal });
  } catch (error) {
    if (!(error instanceof DomainError) || error.code !== 'invalid') throw error;
    throw new DomainError('invalid', `${error.message}; the app may keep its devDependencies with the env var NPM_CONFIG_PRODUCTION=false`);
  }
  return prune.cache !== null;
}
