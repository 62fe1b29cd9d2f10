// Start scripts that run a framework's development server (`react-scripts start`, `vite`,
// `ng serve`, …) are wrong in production twice over: an unminified bundle recompiled at every
// start (a create-react-app project: 287 MiB and 17–22 s, against 7 MiB served), and most of them
// ignore $PORT. When the project's build makes what production needs, Berth runs that instead.
import { expandedText, resolvedCommand } from './package-scripts.js';

/** What to run in place of a development server. */
export type DevServerSwap =
  | { tool: string; serve: 'static'; candidates: string[] }
  | { tool: string; serve: 'script'; script: string; because?: string };

export interface ScriptSource {
  scripts: Record<string, unknown>;
  /** `nuxt` in dependencies or devDependencies, as written (Nuxt 2 has a server command of its own). */
  nuxtVersion: string | null;
  /** angular.json, when there is one: its build output path is where the site lands. */
  angularJson: string | null;
}

const genericOutputs = ['dist', 'build', 'out', 'public'];

/** `dir` first, then the usual output folders. */
const outputs = (...first: string[]) => [...first, ...genericOutputs.filter((dir) => !first.includes(dir))];

interface Rule {
  tool: string;
  bins: readonly string[];
  /** The development server's argv (after the bin). */
  dev(args: readonly string[]): boolean;
  /** The build that makes what production runs (matched in the build script, scripts it runs included). */
  build: RegExp;
  /** null: no production start is known, and the script runs as written. */
  swap(source: ScriptSource, buildText: string): DevServerSwap | null;
}

const first = (...subcommands: string[]) => (args: readonly string[]) => args[0] !== undefined && subcommands.includes(args[0]);
/** `vite`, `vite --host`, `vite dev`: no subcommand at all counts too. */
const bareOr = (...subcommands: string[]) => (args: readonly string[]) => args[0] === undefined || args[0].startsWith('-') || subcommands.includes(args[0]);
const staticSite = (tool: string, ...dirs: string[]) => (): DevServerSwap => ({ tool, serve: 'static', candidates: outputs(...dirs) });

/** Angular writes to angular.json's outputPath: `dist/<project>/browser` since v17, `dist/<project>` before. */
function angularOutputs(angularJson: string | null): string[] {
  const found: string[] = [];
  try {
    const parsed = JSON.parse(angularJson ?? '') as { projects?: Record<string, { architect?: { build?: { options?: { outputPath?: unknown } } } }> };
    for (const project of Object.values(parsed.projects ?? {})) {
      const outputPath = project.architect?.build?.options?.outputPath;
      if (typeof outputPath === 'string') found.push(`${outputPath}/browser`, outputPath);
      else if (outputPath && typeof outputPath === 'object') {
        const { base, browser } = outputPath as { base?: unknown; browser?: unknown };
        // `browser: ""` writes the site into base itself.
        if (typeof base === 'string') found.push(...(browser === '' ? [] : [`${base}/${typeof browser === 'string' ? browser : 'browser'}`]), base);
      }
    }
  } catch {
    // No angular.json or not JSON: the usual folders.
  }
  return outputs(...found.map((dir) => dir.replace(/^\.\//, '').replace(/\/+$/, '')));
}

/** `webpack`, `webpack build`, `webpack-cli --mode production`; not its dev server. */
const webpackBuild = /\bwebpack(?:-cli)?(?![\w-])(?!\s+(?:serve|s|server)\b)/;

/**
 * `nest start` compiles the project with tsc at every start, then runs it under the Nest CLI: a
 * second instance took 26 s to become ready, and the CLI's process (142 MiB) sat beside the app's
 * (67 MiB) for good, with the devDependencies kept for it. Nest's projects say how production
 * starts in `start:prod` (`node dist/main`); without that script, what to run is not known.
 */
function nestProductionStart(source: ScriptSource): DevServerSwap | null {
  const prod = source.scripts['start:prod'];
  if (typeof prod !== 'string') return null;
  const [bin] = resolvedCommand(prod, source.scripts) ?? [];
  if (bin !== 'node') return null;
  return { tool: 'NestJS', serve: 'script', script: prod.trim(), because: 'nest start compiles the project at every start and keeps the Nest CLI running beside it; this is the start:prod script' };
}

const rules: readonly Rule[] = [
  { tool: 'Create React App', bins: ['react-scripts', 'react-app-rewired', 'craco'], dev: first('start'), build: /\b(react-scripts|react-app-rewired|craco)\s+build\b/, swap: staticSite('Create React App', 'build') },
  { tool: 'Vite', bins: ['vite'], dev: bareOr('dev', 'serve', 'preview'), build: /\bvite\s+build\b/, swap: staticSite('Vite', 'dist') },
  { tool: 'Vue CLI', bins: ['vue-cli-service'], dev: first('serve'), build: /\bvue-cli-service\s+build\b/, swap: staticSite('Vue CLI', 'dist') },
  {
    tool: 'Angular',
    bins: ['ng'],
    dev: first('serve', 's'),
    build: /\bng\s+build\b/,
    swap: (source) => ({ tool: 'Angular', serve: 'static', candidates: angularOutputs(source.angularJson) }),
  },
  { tool: 'webpack', bins: ['webpack', 'webpack-cli'], dev: first('serve', 's', 'server'), build: webpackBuild, swap: staticSite('webpack', 'dist') },
  { tool: 'webpack', bins: ['webpack-dev-server'], dev: () => true, build: webpackBuild, swap: staticSite('webpack', 'dist') },
  { tool: 'Gatsby', bins: ['gatsby'], dev: first('develop', 'serve'), build: /\bgatsby\s+build\b/, swap: staticSite('Gatsby', 'public') },
  { tool: 'Parcel', bins: ['parcel'], dev: (args) => args[0] !== 'build' && args[0] !== 'watch', build: /\bparcel\s+build\b/, swap: staticSite('Parcel', 'dist') },
  { tool: 'Docusaurus', bins: ['docusaurus'], dev: first('start', 'serve'), build: /\bdocusaurus\s+build\b/, swap: staticSite('Docusaurus', 'build') },
  { tool: 'Astro', bins: ['astro'], dev: bareOr('dev', 'preview'), build: /\bastro\s+build\b/, swap: staticSite('Astro', 'dist') },
  // Frameworks with a production server of their own: that server, never a static copy.
  { tool: 'NestJS', bins: ['nest'], dev: first('start'), build: /\bnest\s+build\b/, swap: nestProductionStart },
  { tool: 'Next.js', bins: ['next'], dev: bareOr('dev'), build: /\bnext\s+build\b/, swap: () => ({ tool: 'Next.js', serve: 'script', script: 'next start' }) },
  {
    tool: 'Nuxt',
    bins: ['nuxt', 'nuxi'],
    dev: bareOr('dev'),
    build: /\bnux[ti]\s+(build|generate)\b/,
    swap: (source, buildText) => {
      if (/\bnux[ti]\s+generate\b/.test(buildText)) return { tool: 'Nuxt', serve: 'static', candidates: outputs('.output/public', 'dist') };
      const nuxt2 = /^[\^~>=v\s]*2(\.|$)/.test(source.nuxtVersion ?? '');
      return { tool: 'Nuxt', serve: 'script', script: nuxt2 ? 'nuxt start' : 'node .output/server/index.mjs' };
    },
  },
];

/**
 * What Berth runs instead of `startScript`, when it starts a known development server and the
 * project's build script runs that framework's build; null otherwise (the script runs as written).
 */
export function devServerSwap(startScript: string, buildScript: string | null, source: ScriptSource): DevServerSwap | null {
  if (buildScript === null) return null;
  const command = resolvedCommand(startScript, source.scripts);
  const [bin, ...args] = command ?? [];
  if (bin === undefined) return null;
  const buildText = expandedText(buildScript, source.scripts);
  const rule = rules.find((r) => r.bins.includes(bin) && r.dev(args) && r.build.test(buildText));
  return rule?.swap(source, buildText) ?? null;
}

/** The known development server a script runs (`Vite`, `Next.js`, …), or null (preview sessions run it). */
export function devServerTool(script: string, scripts: Record<string, unknown>): { tool: string; bin: string; args: string[] } | null {
  const [bin, ...args] = resolvedCommand(script, scripts) ?? [];
  if (bin === undefined) return null;
  const rule = rules.find((r) => r.bins.includes(bin) && r.dev(args));
  return rule ? { tool: rule.tool, bin, args } : null;
}
