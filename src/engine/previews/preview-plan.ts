// How a preview runs an app version: a Node.js project's install (as its build would, by lockfile)
// and its development server, told to listen on every address of its sandbox at PORT, since the
// edge dials it from outside. Servers Berth knows get the flags; other scripts get HOST and PORT.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { nodeManager, type FileProbe, type PackageJson } from '../builder/detect-plan.js';
import { devServerTool } from '../builder/dev-servers.js';

export interface PreviewPlan {
  /** null: nothing to install (no dependencies). */
  install: string[] | null;
  /** Installed dependencies are cached per app under the hash of these files. */
  cacheKeyFiles: string[];
  /** The cache key's prefix: what else decides what the install makes. */
  cacheSalt: string;
  tool: string;
  /** argv run in the tree (PATH finds node_modules/.bin). */
  command: string[];
  /** How the session shows it. */
  display: string;
}

/** The tree's files, never a path out of it. */
export function treeProbe(root: string): FileProbe {
  const inside = (relative: string) => {
    const full = path.resolve(root, relative);
    return full.startsWith(`${root}/`) ? full : null;
  };
  return {
    async exists(relative) {
      const full = inside(relative);
      if (full === null) return false;
      return stat(full).then(() => true, () => false);
    },
    async read(relative) {
      const full = inside(relative);
      if (full === null) return null;
      try {
        return (await stat(full)).size < 4 * 1024 * 1024 ? await readFile(full, 'utf8') : null;
      } catch {
        return null; // absent or unreadable: the plan says what it needs
      }
    },
  };
}

/** Flags that make each known dev server listen where the edge dials it ("$PORT" is expanded by sh, never user text). */
const listenFlags: Record<string, string> = {
  Vite: '--host 0.0.0.0 --port "$PORT" --strictPort',
  Astro: '--host 0.0.0.0 --port "$PORT"',
  'Next.js': '-H 0.0.0.0 -p "$PORT"',
  Nuxt: '--host 0.0.0.0 --port "$PORT"',
  'Create React App': '',
  'Vue CLI': '--host 0.0.0.0 --port "$PORT"',
  Angular: '--host 0.0.0.0 --port "$PORT" --disable-host-check',
  Gatsby: '-H 0.0.0.0 -p "$PORT"',
  Docusaurus: '--host 0.0.0.0 --port "$PORT" --no-open',
};

const hasDependencies = (pkg: PackageJson) => Object.keys(pkg.dependencies ?? {}).length + Object.keys(pkg.devDependencies ?? {}).length > 0;

/** The plan, or an Error saying why this version cannot be previewed. */
export async function previewPlan(root: string): Promise<PreviewPlan> {
  const probe = treeProbe(root);
  const text = await probe.read('package.json');
  if (text === null) throw new Error('The version has no package.json: a preview runs a Node.js project’s dev script (for instance "dev": "vite")');
  let pkg: PackageJson;
  try {
    pkg = JSON.parse(text) as PackageJson;
  } catch (error) {
    throw new Error(`package.json is not valid JSON (${error instanceof Error ? error.message : 'unreadable'})`);
  }
  const scripts = pkg.scripts ?? {};
  const name = ['dev', 'start'].find((n) => typeof scripts[n] === 'string' && scripts[n].trim() !== '');
  if (name === undefined) throw new Error('package.json has neither a "dev" nor a "start" script: Berth cannot tell how to run the dev server');
  const script = String(scripts[name]).trim();
  const manager = await nodeManager(probe, pkg);
  const install = hasDependencies(pkg) ? manager.install : null;
  const known = devServerTool(script, scripts);
  const flags = known ? listenFlags[known.tool] : undefined;
  // The user's arguments reach sh as positional parameters, never as shell text.
  const command = known && flags !== undefined ? ['/bin/sh', '-c', `exec "$0" "$@" ${flags}`, known.bin, ...known.args] : ['npm', 'run', name];
  return {
    install,
    cacheKeyFiles: ['package.json', ...(manager.lockfile ? [manager.lockfile] : [])],
    cacheSalt: `${process.version}\0preview-node-${manager.name}\0${(install ?? []).join(' ')}\0`,
    tool: known?.tool ?? `npm run ${name}`,
    command,
    display: known ? `${known.bin} ${known.args.join(' ')} ${flags ?? ''}`.replace(/\s+/g, ' ').trim() : `npm run ${name}`,
  };
}
