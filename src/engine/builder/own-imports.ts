// Which devDependencies the app's own JavaScript loads (`require('dotenv')`, `import … from
// 'pino-pretty'`): such an app breaks at start once they are pruned, however clean its start
// command is. When what runs is `node FILE` (the start command, the release command), Berth follows
// FILE's relative imports and requires and reads only those files (a build script's devDependency
// does not count); otherwise it reads every .js/.mjs/.cjs file outside node_modules, tests and tool
// configs. A budget of files and bytes bounds either, and a tree past it is reported as not fully
// read (the caller keeps devDependencies then).
import { readFile, readdir, stat } from 'node:fs/promises';
import { shellCommands } from './shell-words.js';
import path from 'node:path';

const codeFile = /\.(js|mjs|cjs)$/;
/** Configs of tools that run at build or test time, never when the app serves. */
const toolConfig = /^(\.?eslint(rc)?|\.?prettier(rc)?|jest|vitest|vite|webpack|rollup|babel|\.babelrc|postcss|tailwind|tsup|playwright|cypress|commitlint|stylelint|karma|lint-staged|\.?release-it|gulpfile|gruntfile)([.-].*)?\.(js|mjs|cjs)$/i;
const skippedDirs = new Set(['node_modules', '.git', 'test', 'tests', '__tests__', 'spec', 'e2e', 'cypress', 'coverage', '.cache', '.berth']);
const specifiers = [/\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g, /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g, /\b(?:import|export)\s[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*['"]([^'"]+)['"]/g];

export interface ImportBudget {
  maxFiles: number;
  maxBytes: number;
}

export const defaultImportBudget: ImportBudget = { maxFiles: 5_000, maxBytes: 64 * 1024 * 1024 };

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`; relative, absolute and node: specifiers → null. */
export function packageOfSpecifier(specifier: string): string | null {
  if (/^(\.|\/|node:|file:|data:|https?:)/.test(specifier)) return null;
  const parts = specifier.split('/');
  return (specifier.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/');
}

/** Every module specifier `source` names in a require, an import or a re-export. */
function specifiersIn(source: string): string[] {
  return specifiers.flatMap((pattern) => [...source.matchAll(pattern)].map((match) => match[1] ?? ''));
}

/** Packages among `wanted` that `source` loads. */
export function importsIn(source: string, wanted: ReadonlySet<string>): Set<string> {
  const found = new Set<string>();
  for (const specifier of specifiersIn(source)) {
    const name = packageOfSpecifier(specifier);
    if (name !== null && wanted.has(name)) found.add(name);
  }
  return found;
}

/** node's flags that take the next word as their value. */
const nodeValueFlags = new Set(['-r', '--require', '--import', '--loader', '--experimental-loader', '--title']);

/**
 * The files node runs first for each command of `line` (the entry, and relative modules it
 * preloads), when every command is `node [flags] FILE` (after `exec`, `env` and VAR=value);
 * null when one is anything else (`next start`, `npm start`, `node -e`): then the whole tree is read.
 */
export function nodeEntries(line: string): string[] | null {
  const commands = shellCommands(line);
  if (!commands || commands.length === 0) return null;
  const entries: string[] = [];
  for (const command of commands) {
    let words = command.filter((word, i) => !(i < command.indexOf('node') && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(word) || word === 'exec' || word === 'env')));
    if (words[0] !== 'node') return null;
    words = words.slice(1);
    let entry: string | null = null;
    for (let i = 0; i < words.length && entry === null; i++) {
      const word = words[i] ?? '';
      if (word === '-e' || word === '--eval' || word === '-p' || word === '--print') return null;
      if (nodeValueFlags.has(word)) {
        const value = words[++i] ?? '';
        if (value.startsWith('.') || value.startsWith('/')) entries.push(value);
      } else if (!word.startsWith('-')) entry = word;
    }
    if (entry === null) return null;
    entries.push(entry);
  }
  return entries;
}

/** A relative specifier as node resolves it to a file: as named, with an extension, or a folder's index. */
async function resolveRelative(fromFile: string, specifier: string): Promise<string | null> {
  const base = path.resolve(path.dirname(fromFile), specifier);
  for (const candidate of [base, `${base}.js`, `${base}.mjs`, `${base}.cjs`, path.join(base, 'index.js'), path.join(base, 'index.mjs'), path.join(base, 'index.cjs')]) {
    const found = await stat(candidate).catch(() => null);
    if (found?.isFile()) return candidate;
  }
  return null;
}

export interface OwnImports {
  /** Each wanted package the app's code loads → the first file (relative to the tree) seen loading it. */
  loaded: Map<string, string>;
  /** False when the budget ran out before every file was read. */
  complete: boolean;
}

/** The files reachable from `entries` by relative imports (JavaScript only), and the wanted packages they load. */
async function followImports(dir: string, entries: readonly string[], wanted: ReadonlySet<string>, budget: ImportBudget): Promise<OwnImports | null> {
  const loaded = new Map<string, string>();
  const seen = new Set<string>();
  const pending: string[] = [];
  for (const entry of entries) {
    const file = await resolveRelative(path.join(dir, 'entry'), entry.startsWith('/') ? entry : `./${entry}`);
    if (file === null) return null; // an entry Berth cannot find: read the whole tree instead
    pending.push(file);
  }
  let bytes = 0;
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (seen.has(file) || !file.startsWith(`${dir}${path.sep}`) || file.includes(`${path.sep}node_modules${path.sep}`)) continue;
    seen.add(file);
    const source = await readFile(file, 'utf8');
    bytes += source.length;
    if (seen.size > budget.maxFiles || bytes > budget.maxBytes) return { loaded, complete: false };
    for (const specifier of specifiersIn(source)) {
      if (specifier.startsWith('./') || specifier.startsWith('../')) {
        const next = codeFile.test(specifier) || !path.extname(specifier) ? await resolveRelative(file, specifier) : null;
        if (next !== null) pending.push(next);
        continue;
      }
      const name = packageOfSpecifier(specifier);
      if (name !== null && wanted.has(name) && !loaded.has(name)) loaded.set(name, path.relative(dir, file));
    }
  }
  return { loaded, complete: true };
}

/** `entries`: the files `node` runs (nodeEntries), when that is all that runs; null reads every file of the tree. */
export async function ownImports(dir: string, wanted: ReadonlySet<string>, budget: ImportBudget = defaultImportBudget, entries: readonly string[] | null = null): Promise<OwnImports> {
  if (wanted.size === 0) return { loaded: new Map(), complete: true };
  const followed = entries === null ? null : await followImports(dir, entries, wanted, budget);
  if (followed !== null) return followed;
  return scanTree(dir, wanted, budget);
}

async function scanTree(dir: string, wanted: ReadonlySet<string>, budget: ImportBudget): Promise<OwnImports> {
  const loaded = new Map<string, string>();
  let files = 0;
  let bytes = 0;
  const pending = [dir];
  while (pending.length > 0 && wanted.size > loaded.size) {
    const current = pending.pop() as string;
    const entries = await readdir(current, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) {
        if (!skippedDirs.has(entry.name)) pending.push(full);
        continue;
      }
      if (!entry.isFile() || !codeFile.test(entry.name) || toolConfig.test(entry.name)) continue;
      const size = (await stat(full)).size;
      files += 1;
      bytes += size;
      if (files > budget.maxFiles || bytes > budget.maxBytes) return { loaded, complete: false };
      for (const name of importsIn(await readFile(full, 'utf8'), wanted)) if (!loaded.has(name)) loaded.set(name, path.relative(dir, full));
    }
  }
  return { loaded, complete: true };
}
