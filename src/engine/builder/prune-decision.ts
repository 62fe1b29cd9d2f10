// Whether a Node.js artifact may go without its devDependencies (a TypeScript API: 33 MB, most
// of it `typescript`): only when nothing run in the artifact (the start command, the release
// command, and the scripts and binaries they lead to) needs a package that only devDependencies
// bring. Pure, so the rules are tested as tables; anything Berth cannot read keeps them.
import { shellCommands } from './shell-words.js';

export interface PruneFacts {
  dependencies: readonly string[];
  devDependencies: readonly string[];
  scripts: Readonly<Record<string, unknown>>;
  /** What runs in the artifact, by what the user calls it: `the start command`, `the release command`. */
  commands: ReadonlyArray<{ what: string; line: string }>;
  /** Each binary the installed direct dependencies provide → the packages that provide it. */
  bins: ReadonlyMap<string, readonly string[]>;
  /** Every name in node_modules/.bin (a transitive dependency's binaries too). */
  installedBins: ReadonlySet<string>;
  /** The names at the tree's root (config files some servers load at run time). */
  rootFiles: ReadonlySet<string>;
  /** The app's env vars (NPM_CONFIG_PRODUCTION=false and YARN_PRODUCTION=false opt out, as on Heroku). */
  env: Readonly<Record<string, string>>;
  /** The operator's BERTH_PRUNE_DEV_DEPENDENCIES. */
  enabled: boolean;
  /** Why this install cannot be pruned (its package manager), if it cannot. */
  unsupported: string | null;
  /** devDependencies the app's own code loads (→ the first file seen loading each); complete: every file was read. */
  ownImports: { loaded: ReadonlyMap<string, string>; complete: boolean };
}

export type PruneDecision = { prune: true; line: string } | { prune: false; line: string };

/** Why a command must keep devDependencies: it uses one, or Berth cannot tell. */
type Finding = string;

interface Context {
  facts: PruneFacts;
  prod: ReadonlySet<string>;
  dev: ReadonlySet<string>;
}

const listed = (names: readonly string[]) => (names.length <= 4 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`);

/** `@scope/name/sub/path` → `@scope/name`; `name/sub` → `name`. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return (specifier.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/');
}

function packageUse(ctx: Context, name: string, shown: string): Finding | null {
  if (ctx.prod.has(name)) return null;
  if (ctx.dev.has(name)) return `runs \`${shown}\` (${name} is a devDependency)`;
  return `runs \`${shown}\`, and ${name} is no dependency in package.json (Berth cannot tell whether only devDependencies bring it)`;
}

/** A module node loads before the app (`-r ts-node/register`, `--import tsx`). */
function moduleUse(ctx: Context, specifier: string, shown: string): Finding | null {
  if (/^(\.|\/|node:|file:)/.test(specifier)) return null;
  return packageUse(ctx, packageOf(specifier), shown);
}

const moduleFlags = new Set(['-r', '--require', '--import', '--loader', '--experimental-loader']);

/** node's own flags (also NODE_OPTIONS'): modules it preloads, code it evaluates. */
function nodeFlagsUse(ctx: Context, args: readonly string[]): Finding | null {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (!arg.startsWith('-')) {
      // The entry point: a file under node_modules belongs to a package.
      const inModules = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/.][^/]*)/.exec(arg);
      return inModules?.[1] ? packageUse(ctx, inModules[1], `node ${arg}`) : null;
    }
    if (['-e', '--eval', '-p', '--print'].includes(arg)) return `runs \`node ${arg}\` (Berth cannot tell what that code loads)`;
    const [flag = '', inline] = arg.split(/=(.*)/s);
    if (!moduleFlags.has(flag)) continue;
    const specifier = inline ?? args[++i];
    if (specifier === undefined) return null;
    const found = moduleUse(ctx, specifier, `node ${flag} ${specifier}`);
    if (found) return found;
  }
  return null;
}

/**
 * Servers that need a package of their own at run time: `next start` transpiles next.config.ts
 * with typescript (since Next.js 15.4; typescript is in devDependencies in create-next-app's template).
 */
const runtimeNeeds: ReadonlyArray<{ bin: string; files: readonly string[]; needs: string }> = [
  { bin: 'next', files: ['next.config.ts', 'next.config.mts'], needs: 'typescript' },
];

function runtimeNeed(ctx: Context, bin: string, shown: string): Finding | null {
  for (const rule of runtimeNeeds) {
    const file = rule.bin === bin ? rule.files.find((name) => ctx.facts.rootFiles.has(name)) : undefined;
    if (file && ctx.dev.has(rule.needs)) return `runs \`${shown}\`, which loads ${file} with ${rule.needs} (a devDependency)`;
  }
  return null;
}

function binUse(ctx: Context, words: readonly string[]): Finding | null {
  const [bin = ''] = words;
  const shown = words.slice(0, 2).join(' ');
  const providers = ctx.facts.bins.get(bin) ?? [];
  if (providers.length === 0) {
    return ctx.facts.installedBins.has(bin) ? `runs \`${shown}\`, which no dependency in package.json provides (Berth cannot tell whether only devDependencies bring it)` : null;
  }
  const fromProd = providers.filter((name) => ctx.prod.has(name));
  if (fromProd.length === providers.length) return runtimeNeed(ctx, bin, shown);
  const fromDev = providers.filter((name) => !ctx.prod.has(name));
  return `runs \`${shown}\` (${fromDev.join(', ')} ${fromDev.length === 1 ? 'is a devDependency' : 'are devDependencies'})`;
}

/** `npm start`, `npm run x`, `yarn x`, `pnpm run x`, `bun run x`: the script's name, and whether a missing script runs a binary of that name. */
function scriptName(words: readonly string[]): { name: string; orBin: boolean } | null {
  const [tool, second, third] = words;
  if (tool === 'npm' && (second === 'start' || second === 'test' || second === 'restart')) return { name: second, orBin: false };
  if ((tool === 'npm' || tool === 'bun') && (second === 'run' || second === 'run-script') && third) return { name: third, orBin: false };
  if ((tool === 'yarn' || tool === 'pnpm') && second === 'run' && third) return { name: third, orBin: false };
  if ((tool === 'yarn' || tool === 'pnpm') && second && !second.startsWith('-') && second !== 'exec' && second !== 'dlx') return { name: second, orBin: true };
  return null;
}

/** What `npx` runs after its own flags; a finding when `--package` names a devDependency. */
function launcherRest(ctx: Context, args: readonly string[]): string[] | Finding {
  let rest = [...args];
  while (rest[0]?.startsWith('-')) {
    const [flag = '', inline] = (rest[0] ?? '').split(/=(.*)/s);
    const takesPackage = flag === '-p' || flag === '--package';
    const spec = takesPackage ? (inline ?? rest[1]) : undefined;
    rest = rest.slice(takesPackage && inline === undefined ? 2 : 1);
    // `npx -p typescript tsc`: an npx without that package installed would download it.
    const name = spec === undefined ? null : packageOf(spec.replace(/(.)@.*$/, '$1'));
    if (name && ctx.dev.has(name)) return `runs \`npx ${flag} ${spec}\` (${name} is a devDependency)`;
  }
  return rest;
}

function commandUse(ctx: Context, command: readonly string[], depth: number): Finding | null {
  let words = [...command];
  for (;;) {
    const [head, next] = words;
    if (head === undefined) return null;
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(head)) {
      const found = head.startsWith('NODE_OPTIONS=') ? nodeFlagsUse(ctx, head.slice(13).split(/\s+/).filter(Boolean)) : null;
      if (found) return found;
      words = words.slice(1);
    } else if (['exec', 'nohup', 'time', 'command', '--'].includes(head)) words = words.slice(1);
    else if (head === 'env') {
      words = words.slice(1);
      while (words[0]?.startsWith('-')) words = words.slice(1);
    } else if (head === 'npx' || head === 'pnpx' || head === 'bunx') {
      const rest = launcherRest(ctx, words.slice(1));
      if (typeof rest === 'string') return rest;
      words = rest;
    } else if ((head === 'npm' || head === 'pnpm' || head === 'yarn') && next === 'exec') words = words.slice(2);
    else if (head === 'pnpm' && next === 'dlx') return null;
    else if (head === 'node' || head === 'nodejs') return nodeFlagsUse(ctx, words.slice(1));
    else {
      const script = scriptName(words);
      if (script) return scriptUse(ctx, words, script, depth);
      if (head.includes('/')) {
        const bin = /(?:^|\/)node_modules\/\.bin\/([^/]+)$/.exec(head)?.[1];
        if (bin) return binUse(ctx, [bin, ...words.slice(1)]);
        const inModules = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/.][^/]*)/.exec(head);
        return inModules?.[1] ? packageUse(ctx, inModules[1], head) : null;
      }
      const found = binUse(ctx, words);
      if (found || (head !== 'cross-env' && head !== 'cross-env-shell')) return found;
      words = words.slice(1);
    }
  }
}

function scriptUse(ctx: Context, words: readonly string[], script: { name: string; orBin: boolean }, depth: number): Finding | null {
  const body = ctx.facts.scripts[script.name];
  if (typeof body !== 'string') {
    const bin = words.slice(words[1] === 'run' ? 2 : 1);
    return script.orBin ? commandUse(ctx, bin, depth) : null;
  }
  if (depth >= 5) return `runs the script \`${script.name}\` through too many scripts for Berth to follow`;
  // npm and Yarn run pre- and post- scripts around it.
  for (const name of [`pre${script.name}`, script.name, `post${script.name}`]) {
    const text = ctx.facts.scripts[name];
    if (typeof text !== 'string') continue;
    const found = lineUse(ctx, text, depth + 1);
    if (found) return `runs the script \`${name}\`, which ${found}`;
  }
  return null;
}

function lineUse(ctx: Context, line: string, depth: number): Finding | null {
  const commands = shellCommands(line);
  if (!commands) return `is \`${line}\`, which Berth cannot read for certain (subshells, substitutions or shell keywords)`;
  for (const command of commands) {
    const found = commandUse(ctx, command, depth);
    if (found) return found;
  }
  return null;
}

/** The app's own opt-out, as Heroku reads it (names in any case, `false`). */
function optedOut(env: Readonly<Record<string, string>>): string | null {
  for (const [name, value] of Object.entries(env)) {
    const upper = name.toUpperCase();
    if ((upper === 'NPM_CONFIG_PRODUCTION' || upper === 'YARN_PRODUCTION') && value.trim().toLowerCase() === 'false') return `${name}=${value}`;
  }
  return null;
}

export function pruneDecision(facts: PruneFacts): PruneDecision {
  if (facts.devDependencies.length === 0) return { prune: false, line: 'Nothing to prune: package.json lists no devDependencies' };
  const keep = (why: string): PruneDecision => ({ prune: false, line: `Kept devDependencies: ${why}` });
  if (!facts.enabled) return keep('BERTH_PRUNE_DEV_DEPENDENCIES is off on this Berth');
  const optOut = optedOut(facts.env);
  if (optOut) return keep(`the app sets ${optOut}`);
  if (facts.unsupported) return keep(facts.unsupported);
  const prod = new Set(facts.dependencies);
  const ctx: Context = { facts, prod, dev: new Set(facts.devDependencies.filter((name) => !prod.has(name))) };
  const nodeOptions = Object.entries(facts.env).find(([name]) => name === 'NODE_OPTIONS')?.[1];
  const fromOptions = nodeOptions ? nodeFlagsUse(ctx, nodeOptions.split(/\s+/).filter(Boolean)) : null;
  if (fromOptions) return keep(`the app's NODE_OPTIONS ${fromOptions.replace(/^runs/, 'run')}`);
  for (const { what, line } of facts.commands) {
    const found = lineUse(ctx, line, 0);
    if (found) return keep(`${what} ${found}`);
  }
  const names = [...ctx.dev];
  if (names.length === 0) return { prune: false, line: 'Nothing to prune: every devDependency is also a dependency' };
  for (const [name, file] of facts.ownImports.loaded) {
    if (ctx.dev.has(name)) return keep(`${file} loads ${name}, a devDependency (list it in dependencies to let Berth prune the rest)`);
  }
  if (!facts.ownImports.complete) return keep("the app's code is too large for Berth to read which packages it loads");
  const ran = facts.commands.map(({ what, line }) => `${what} \`${line}\``).join(' and ');
  return { prune: true, line: `Pruning devDependencies (${listed(names)}): ${ran} ${facts.commands.length > 1 ? 'need' : 'needs'} none of them` };
}
