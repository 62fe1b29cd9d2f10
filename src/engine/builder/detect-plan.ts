// Build plans, detected from the files of a source tree: which runtime, how to install, build
// and start. Pure apart from the probe, so the rules are tested as tables. Every plan can say
// in a few lines what it found; those lines open the build log.
import { frameworkBuildCache, type BuildCacheSpec } from './build-caches.js';
import { devServerSwap } from './dev-servers.js';
import { watcherSwap } from './file-watchers.js';
import { expandedText } from './package-scripts.js';

export interface FileProbe {
  exists(relativePath: string): Promise<boolean>;
  read(relativePath: string): Promise<string | null>;
}

/** Where pip installs a Python app's packages (and, under bin/, their console scripts). */
export const pythonPackagesDir = '.python-packages';

/** How a revision starts: a user's script (run by sh), an argv, or Berth's static server. */
export type StartSpec =
  | { kind: 'script'; script: string }
  | { kind: 'static'; candidates: string[]; spa: boolean };

/** How a Node.js plan removes devDependencies once its build is done, or why it cannot. */
export type PruneSpec =
  | { kind: 'command'; command: string[]; /** Removed before it runs (relative to the tree). */ forget: string[] }
  | { kind: 'unsupported'; reason: string };

export interface BuildPlan {
  buildpack: string;
  summary: string[];
  install: string[] | null;
  build: string[] | null;
  start: StartSpec;
  /** Installed dependencies are cached per app under the hash of these files. */
  cache: { keyFiles: string[]; dirs: string[] } | null;
  /** The framework's own build cache, kept per app from one build to the next. */
  buildCache: BuildCacheSpec | null;
  /** Pruning devDependencies from the artifact after the build; null: the plan has none to prune. */
  prune: PruneSpec | null;
}

export type PlanResult = { ok: true; plan: BuildPlan } | { ok: false; reason: string };

export const undetectableReason =
  'Could not detect how to build this app. Berth looked for: a Procfile with a web: line; package.json (Node.js, ' +
  'with package-lock.json, pnpm-lock.yaml or yarn.lock); requirements.txt or pyproject.toml (Python); index.html ' +
  '(a static site); a Dockerfile (with BERTH_RUNTIME=docker) when the app sets dockerfilePath or nothing else is found.';

/** Why a tree whose only plan is its Dockerfile does not build without an engine. */
export const onlyDockerfileReason =
  'This project has a Dockerfile and no other build plan Berth detects (package.json, requirements.txt, pyproject.toml, ' +
  'a Procfile, index.html): building it needs a container engine driver. Start Berth with BERTH_RUNTIME=docker.';

export function procfileCommand(text: string | null, process = 'web'): string | null {
  if (text === null) return null;
  for (const raw of text.split('\n')) {
    const match = /^([A-Za-z0-9_-]+)\s*:\s*(.+)$/.exec(raw.trim());
    if (match?.[1] === process && match[2]) return match[2].trim();
  }
  return null;
}

export interface PackageJson {
  scripts?: Record<string, unknown>;
  main?: unknown;
  packageManager?: unknown;
  dependencies?: Record<string, unknown>;
  devDependencies?: Record<string, unknown>;
  workspaces?: unknown;
}

/** A workspaces root starts nothing itself: the hint names how to start one of its packages. */
function workspacesHint(pkg: PackageJson): string {
  const raw = pkg.workspaces;
  const list = Array.isArray(raw) ? raw : typeof raw === 'object' && raw !== null && Array.isArray((raw as { packages?: unknown }).packages) ? (raw as { packages: unknown[] }).packages : null;
  if (list === null || list.length === 0) return '';
  return `. This is a workspaces root (${list.filter((w) => typeof w === 'string').join(', ')}): add a Procfile that starts one of its packages, e.g. "web: npm start -w <package name>"`;
}

/** A dependency's version range as package.json writes it, or null. */
function dependencyVersion(pkg: PackageJson, name: string): string | null {
  const version = pkg.dependencies?.[name] ?? pkg.devDependencies?.[name];
  return typeof version === 'string' ? version : null;
}

function parsePackage(text: string): PackageJson | null {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as PackageJson) : null;
  } catch {
    return null;
  }
}

/** How a Node.js project installs and runs its build script, by lockfile. */
export interface NodeManager {
  lockfile: string | null;
  name: string;
  install: string[];
  build: string[];
  /** What is installed can be restored for an unchanged lockfile (not Yarn PnP's files outside node_modules). */
  cacheable: boolean;
  /** Why this version, for the plan summary. */
  note: string | null;
  prune: PruneSpec;
}

/** `pnpm@9.15.0+sha512.…` → `9.15.0` when the field names `tool`; else null. */
function declaredVersion(pkg: PackageJson, tool: string): string | null {
  const field = typeof pkg.packageManager === 'string' ? pkg.packageManager : '';
  const match = /^([a-z]+)@(\d+\.\d+\.\d+[\w.-]*)/.exec(field);
  return match?.[1] === tool && match[2] ? match[2] : null;
}

/** The pnpm that writes this lockfile format (6.x: pnpm 8; 5.x: pnpm 7; else 9). */
function pnpmForLockfile(lock: string | null): string {
  const version = /^lockfileVersion:\s*'?(\d+)/m.exec(lock ?? '')?.[1];
  if (version === '6') return '8';
  if (version === '5') return '7';
  return '9';
}

/**
 * pnpm and Yarn come from the npm registry through `npm exec` at the version the project
 * declares (packageManager) or the one its lockfile format implies: corepack's signature check
 * fails against registry mirrors that strip signatures, and npm is always there with Node.
 */
function viaNpmExec(pkgSpec: string, bin: string, args: string[]): string[] {
  return ['npm', 'exec', '--yes', `--package=${pkgSpec}`, '--', bin, ...args];
}

/**
 * npm drops a hidden lockfile it cannot rewrite (a restored cache's is root-owned) instead of
 * rewriting it: without one at all, a warm build and a cold one prune to the same tree (same hash).
 */
const npmPrune: PruneSpec = { kind: 'command', command: ['npm', 'prune', '--omit=dev', '--no-audit', '--no-fund'], forget: ['node_modules/.package-lock.json'] };
const yarnV1NoPrune =
  'Yarn v1 prunes by reinstalling (yarn install --production), which extracts packages again without their install scripts (a native module would lose its build); Berth prunes npm and pnpm installs';
const yarnBerryNoPrune = 'Berth does not prune Yarn Berry installs';

export async function nodeManager(probe: FileProbe, pkg: PackageJson): Promise<NodeManager> {
  if (await probe.exists('pnpm-lock.yaml')) {
    const declared = declaredVersion(pkg, 'pnpm');
    const spec = `pnpm@${declared ?? pnpmForLockfile(await probe.read('pnpm-lock.yaml'))}`;
    return {
      lockfile: 'pnpm-lock.yaml',
      name: 'pnpm',
      install: viaNpmExec(spec, 'pnpm', ['install', '--frozen-lockfile']),
      build: viaNpmExec(spec, 'pnpm', ['run', 'build']),
      cacheable: true,
      note: `${spec} (${declared ? 'packageManager' : 'from the lockfile version'})`,
      prune: { kind: 'command', command: viaNpmExec(spec, 'pnpm', ['prune', '--prod']), forget: [] },
    };
  }
  if (await probe.exists('yarn.lock')) {
    const declared = declaredVersion(pkg, 'yarn');
    const berry = declared ? !declared.startsWith('1.') : (await probe.read('yarn.lock'))?.includes('__metadata:') === true;
    const spec = berry ? `@yarnpkg/cli-dist@${declared ?? '4'}` : `yarn@${declared ?? '1'}`;
    return {
      lockfile: 'yarn.lock',
      name: 'yarn',
      install: viaNpmExec(spec, 'yarn', berry ? ['install', '--immutable'] : ['install', '--frozen-lockfile']),
      build: viaNpmExec(spec, 'yarn', ['run', 'build']),
      cacheable: !berry,
      note: `${spec} (${declared ? 'packageManager' : berry ? 'Yarn Berry lockfile' : 'Yarn v1 lockfile'})`,
      prune: { kind: 'unsupported', reason: berry ? yarnBerryNoPrune : yarnV1NoPrune },
    };
  }
  const npmCi = ['npm', 'ci', '--include=dev', '--no-audit', '--no-fund'];
  for (const lockfile of ['package-lock.json', 'npm-shrinkwrap.json']) {
    if (await probe.exists(lockfile)) return { lockfile, name: 'npm', install: npmCi, build: ['npm', 'run', 'build'], cacheable: true, note: null, prune: npmPrune };
  }
  return { lockfile: null, name: 'npm', install: ['npm', 'install', '--no-audit', '--no-fund'], build: ['npm', 'run', 'build'], cacheable: true, note: null, prune: npmPrune };
}

async function nodePlan(probe: FileProbe, pkg: PackageJson, procfile: string | null): Promise<PlanResult> {
  const { lockfile, name: manager, install, build: buildCmd, cacheable, note, prune } = await nodeManager(probe, pkg);
  const scripts = pkg.scripts ?? {};
  const buildScript = typeof scripts.build === 'string' && scripts.build.trim() !== '' ? scripts.build.trim() : null;
  const hasBuild = buildScript !== null;
  const startScript = typeof scripts.start === 'string' && scripts.start.trim() !== '' ? scripts.start.trim() : null;
  const main = typeof pkg.main === 'string' && (await probe.exists(pkg.main)) ? pkg.main : null;
  const buildCache = buildScript ? frameworkBuildCache(expandedText(buildScript, scripts)) : null;
  const summary = [
    `Detected a Node.js project (${manager}${lockfile ? `, ${lockfile}` : ', no lockfile'})`,
    ...(note ? [`package manager: ${note}`] : []),
    `install: ${install.join(' ')}`,
    `build: ${hasBuild ? buildCmd.join(' ') : '(no build script)'}`,
    ...(buildCache ? [`build cache: ${buildCache.dirs.join(', ')} (${buildCache.tool}), kept from one build to the next`] : []),
  ];
  let start: StartSpec;
  if (procfile) {
    start = { kind: 'script', script: procfile };
    summary.push(`start: ${procfile} (Procfile web:)`);
  } else if (startScript) {
    const source = { scripts, nuxtVersion: dependencyVersion(pkg, 'nuxt'), angularJson: await probe.read('angular.json') };
    const swap = devServerSwap(startScript, buildScript, source);
    if (swap?.serve === 'static') {
      start = { kind: 'static', candidates: swap.candidates, spa: true };
      summary.push(`start: ${startScript} is ${swap.tool}'s development server; Berth serves the static files the build emits (${swap.candidates.join(', ')}) instead`);
    } else if (swap) {
      start = { kind: 'script', script: swap.script };
      summary.push(`start: ${swap.script} (${swap.because ?? `${startScript} is ${swap.tool}'s development server; this is its production server`})`);
    } else {
      const unwatched = watcherSwap(startScript, scripts, main);
      start = { kind: 'script', script: unwatched?.script ?? startScript };
      summary.push(
        unwatched
          ? `start: ${unwatched.script} (${startScript} runs it under ${unwatched.tool}, which restarts the app whenever a file in its folder changes, its own writes included; a deploy is how a revision's code changes)`
          : `start: ${startScript} (package.json start script)`,
      );
    }
  } else if (main) {
    start = { kind: 'script', script: `node ${main}` };
    summary.push(`start: node ${main} (package.json main)`);
  } else if (hasBuild) {
    start = { kind: 'static', candidates: ['dist', 'build', 'out', 'public'], spa: true };
    summary.push('start: no server of its own; Berth serves the static files the build emits (dist, build, out or public)');
  } else {
    return { ok: false, reason: `package.json has no start script, no main file and no build script, and there is no Procfile: Berth cannot tell how to start this app${workspacesHint(pkg)}` };
  }
  return {
    ok: true,
    plan: {
      buildpack: start.kind === 'static' ? `static (node-${manager})` : `node-${manager}`,
      summary,
      install,
      build: hasBuild ? buildCmd : null,
      start,
      cache: cacheable ? { keyFiles: ['package.json', ...(lockfile ? [lockfile] : [])], dirs: ['node_modules'] } : null,
      buildCache,
      // A static site's artifact holds no dependencies at all.
      prune: start.kind === 'static' ? null : prune,
    },
  };
}

async function pythonPlan(probe: FileProbe, procfile: string | null): Promise<PlanResult> {
  const requirements = await probe.exists('requirements.txt');
  const keyFile = requirements ? 'requirements.txt' : 'pyproject.toml';
  const install = ['python3', '-m', 'pip', 'install', '--no-cache-dir', '--disable-pip-version-check', '--target', pythonPackagesDir, ...(requirements ? ['-r', 'requirements.txt'] : ['.'])];
  let script = procfile;
  if (!script) {
    for (const entry of ['app.py', 'main.py', 'server.py']) {
      if (await probe.exists(entry)) {
        script = `python3 ${entry}`;
        break;
      }
    }
  }
  if (!script) return { ok: false, reason: 'Detected a Python project, but found no Procfile web: line and none of app.py, main.py or server.py to start' };
  return {
    ok: true,
    plan: {
      buildpack: 'python',
      summary: [`Detected a Python project (${keyFile})`, `install: ${install.join(' ')}`, `start: ${script}${procfile ? ' (Procfile web:)' : ''}`],
      install,
      build: null,
      start: { kind: 'script', script },
      cache: { keyFiles: [keyFile], dirs: [pythonPackagesDir] },
      buildCache: null,
      prune: null,
    },
  };
}

/** Said when another plan wins over a root Dockerfile, which users often expect to be used. */
export const dockerfileSetAsideNote =
  'there is also a Dockerfile: Berth builds from it only when the app sets dockerfilePath (with BERTH_RUNTIME=docker) or no other plan fits';

export async function detectPlan(probe: FileProbe, options: { dockerfilePath: string | null }): Promise<PlanResult> {
  const result = await choosePlan(probe, options);
  if (!result.ok || options.dockerfilePath || !(await probe.exists('Dockerfile'))) return result;
  return { ok: true, plan: { ...result.plan, summary: [...result.plan.summary, dockerfileSetAsideNote] } };
}

async function choosePlan(probe: FileProbe, options: { dockerfilePath: string | null }): Promise<PlanResult> {
  if (options.dockerfilePath) {
    return {
      ok: false,
      reason: `This app builds from ${options.dockerfilePath} (dockerfilePath), which needs a container engine driver: start Berth with BERTH_RUNTIME=docker, or clear dockerfilePath to let Berth detect a build plan from the files.`,
    };
  }
  const procfile = procfileCommand(await probe.read('Procfile'));
  const pkgText = await probe.read('package.json');
  if (pkgText !== null) {
    const pkg = parsePackage(pkgText);
    if (!pkg) return { ok: false, reason: 'package.json is not valid JSON' };
    return nodePlan(probe, pkg, procfile);
  }
  if ((await probe.exists('requirements.txt')) || (await probe.exists('pyproject.toml'))) return pythonPlan(probe, procfile);
  if (procfile) {
    return { ok: true, plan: { buildpack: 'procfile', summary: ['Detected a Procfile', `start: ${procfile}`], install: null, build: null, start: { kind: 'script', script: procfile }, cache: null, buildCache: null, prune: null } };
  }
  if (await probe.exists('index.html')) {
    return {
      ok: true,
      plan: { buildpack: 'static', summary: ['Detected a static site (index.html)', 'start: Berth serves the files'], install: null, build: null, start: { kind: 'static', candidates: ['.'], spa: false }, cache: null, buildCache: null, prune: null },
    };
  }
  return { ok: false, reason: (await probe.exists('Dockerfile')) ? onlyDockerfileReason : undetectableReason };
}

/**
 * The Dockerfile a tree is built with when the app sets no dockerfilePath: its root `Dockerfile`
 * when no plan fits its files (none detected, or one that cannot run), else null.
 */
export async function fallbackDockerfile(probe: FileProbe): Promise<string | null> {
  if (!(await probe.exists('Dockerfile'))) return null;
  return (await detectPlan(probe, { dockerfilePath: null })).ok ? null : 'Dockerfile';
}
