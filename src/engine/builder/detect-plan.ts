// Build plans, detected from the files of a source tree: which runtime, how to install, build
// and start. Pure apart from the probe, so the rules are tested as tables. Every plan can say
// in a few lines what it found; those lines open the build log.

export interface FileProbe {
  exists(relativePath: string): Promise<boolean>;
  read(relativePath: string): Promise<string | null>;
}

/** How a revision starts: a user's script (run by sh), an argv, or Berth's static server. */
export type StartSpec =
  | { kind: 'script'; script: string }
  | { kind: 'static'; candidates: string[]; spa: boolean };

export interface BuildPlan {
  buildpack: string;
  summary: string[];
  install: string[] | null;
  build: string[] | null;
  start: StartSpec;
  /** Installed dependencies are cached per app under the hash of these files. */
  cache: { keyFiles: string[]; dirs: string[] } | null;
}

export type PlanResult = { ok: true; plan: BuildPlan } | { ok: false; reason: string };

export const undetectableReason =
  'Could not detect how to build this app. Berth looked for: a Procfile with a web: line; package.json (Node.js, ' +
  'with package-lock.json, pnpm-lock.yaml or yarn.lock); requirements.txt or pyproject.toml (Python); index.html ' +
  '(a static site). A Dockerfile is used only when the app sets dockerfilePath.';

export function procfileCommand(text: string | null, process = 'web'): string | null {
  if (text === null) return null;
  for (const raw of text.split('\n')) {
    const match = /^([A-Za-z0-9_-]+)\s*:\s*(.+)$/.exec(raw.trim());
    if (match?.[1] === process && match[2]) return match[2].trim();
  }
  return null;
}

interface PackageJson {
  scripts?: Record<string, unknown>;
  main?: unknown;
}

function parsePackage(text: string): PackageJson | null {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as PackageJson) : null;
  } catch {
    return null;
  }
}

async function nodePlan(probe: FileProbe, pkg: PackageJson, procfile: string | null): Promise<PlanResult> {
  const lockfiles: [string, string, string[], string[]][] = [
    ['pnpm-lock.yaml', 'pnpm', ['corepack', 'pnpm', 'install', '--frozen-lockfile'], ['corepack', 'pnpm', 'run', 'build']],
    ['yarn.lock', 'yarn', ['corepack', 'yarn', 'install', '--frozen-lockfile'], ['corepack', 'yarn', 'run', 'build']],
    ['package-lock.json', 'npm', ['npm', 'ci', '--include=dev', '--no-audit', '--no-fund'], ['npm', 'run', 'build']],
    ['npm-shrinkwrap.json', 'npm', ['npm', 'ci', '--include=dev', '--no-audit', '--no-fund'], ['npm', 'run', 'build']],
  ];
  let chosen: [string | null, string, string[], string[]] = [null, 'npm', ['npm', 'install', '--no-audit', '--no-fund'], ['npm', 'run', 'build']];
  for (const entry of lockfiles) {
    if (await probe.exists(entry[0])) {
      chosen = entry;
      break;
    }
  }
  const [lockfile, manager, install, buildCmd] = chosen;
  const scripts = pkg.scripts ?? {};
  const hasBuild = typeof scripts.build === 'string' && scripts.build.trim() !== '';
  const startScript = typeof scripts.start === 'string' && scripts.start.trim() !== '' ? scripts.start.trim() : null;
  const main = typeof pkg.main === 'string' && (await probe.exists(pkg.main)) ? pkg.main : null;
  const summary = [
    `Detected a Node.js project (${manager}${lockfile ? `, ${lockfile}` : ', no lockfile'})`,
    `install: ${install.join(' ')}`,
    `build: ${hasBuild ? buildCmd.join(' ') : '(no build script)'}`,
  ];
  let start: StartSpec;
  if (procfile) {
    start = { kind: 'script', script: procfile };
    summary.push(`start: ${procfile} (Procfile web:)`);
  } else if (startScript) {
    start = { kind: 'script', script: startScript };
    summary.push(`start: ${startScript} (package.json start script)`);
  } else if (main) {
    start = { kind: 'script', script: `node ${main}` };
    summary.push(`start: node ${main} (package.json main)`);
  } else if (hasBuild) {
    start = { kind: 'static', candidates: ['dist', 'build', 'out', 'public'], spa: true };
    summary.push('start: no server of its own; Berth serves the static files the build emits (dist, build, out or public)');
  } else {
    return { ok: false, reason: 'package.json has no start script, no main file and no build script, and there is no Procfile: Berth cannot tell how to start this app' };
  }
  return {
    ok: true,
    plan: {
      buildpack: start.kind === 'static' ? `static (node-${manager})` : `node-${manager}`,
      summary,
      install,
      build: hasBuild ? buildCmd : null,
      start,
      cache: { keyFiles: ['package.json', ...(lockfile ? [lockfile] : [])], dirs: ['node_modules'] },
    },
  };
}

async function pythonPlan(probe: FileProbe, procfile: string | null): Promise<PlanResult> {
  const requirements = await probe.exists('requirements.txt');
  const keyFile = requirements ? 'requirements.txt' : 'pyproject.toml';
  const install = ['python3', '-m', 'pip', 'install', '--no-cache-dir', '--disable-pip-version-check', '--target', '.python-packages', ...(requirements ? ['-r', 'requirements.txt'] : ['.'])];
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
      cache: { keyFiles: [keyFile], dirs: ['.python-packages'] },
    },
  };
}

export async function detectPlan(probe: FileProbe, options: { dockerfilePath: string | null }): Promise<PlanResult> {
  if (options.dockerfilePath) {
    return {
      ok: false,
      reason: `This app builds from ${options.dockerfilePath} (dockerfilePath), which needs a container engine driver; this Berth runs apps as processes and has no container engine driver yet. Clear dockerfilePath to let Berth detect a build plan from the files.`,
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
    return { ok: true, plan: { buildpack: 'procfile', summary: ['Detected a Procfile', `start: ${procfile}`], install: null, build: null, start: { kind: 'script', script: procfile }, cache: null } };
  }
  if (await probe.exists('index.html')) {
    return {
      ok: true,
      plan: { buildpack: 'static', summary: ['Detected a static site (index.html)', 'start: Berth serves the files'], install: null, build: null, start: { kind: 'static', candidates: ['.'], spa: false }, cache: null },
    };
  }
  return { ok: false, reason: undetectableReason };
}
